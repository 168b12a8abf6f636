# Total Value ($) per Country in awk. -F, alone would cut a quoted
# "Korea, Republic of" in two, so pieces of a quoted field are glued back.
# usage: mawk -f totals.awk TRADE.csv    (prints "total country" lines)
BEGIN { FS = "," }
NR > 1 {
    n = 0
    for (i = 1; i <= NF; i++) {
        field = $i
        while (field ~ /^"/ && field !~ /"$/ && i < NF)
            field = field "," $(++i)
        if (field ~ /^"/)
            field = substr(field, 2, length(field) - 2)
        f[++n] = field
    }
    if (f[8] == "$")
        total[f[5]] += f[9]
}
END { for (country in total) printf "%.0f %s\n", total[country], country }
