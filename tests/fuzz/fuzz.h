/* fuzz.h - one source per fuzz target, built two ways:
 * with clang -fsanitize=fuzzer (make fuzz) it is a libFuzzer target; in
 * the Criterion suite (make test, gcc, no clang needed) the same function
 * replays the saved corpus, so a crash found once stays fixed. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

#ifdef FUZZ_LIBFUZZER
#define FUZZ_TARGET(name) \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#else
#define FUZZ_TARGET(name) \
    int fuzz_##name(const uint8_t *data, size_t size)
#endif

#endif
