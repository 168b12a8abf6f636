lambda word => (word, 1)
