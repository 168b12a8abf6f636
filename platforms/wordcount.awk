# Word count in awk: an associative array, one entry per word.
# usage: mawk -f wordcount.awk FILE    (prints "count word" lines)
{
    sub(/\r$/, "")      # text with CRLF line ends (hamlet.txt has them)
    for (i = 1; i <= NF; i++)
        count[$i]++
}
END { for (word in count) print count[word], word }
