# bench/plot.gp: the plot of a benchmark run, from the data bench/report.lua
# writes (PLOTDATA); bench/run.sh runs
#
#   gnuplot -e "data='PLOTDATA'; out='FILE.png'; series=N; subtitle='...'" \
#     bench/plot.gp
#
# A group of bars per workload (and mode), a bar per column kind: its rate
# over the C client's rate in the same run (the median of each over the
# rounds), with the min and max of that ratio round by round as an error
# bar. The dashed line at 1 is the C client; each bar's ratio is written at
# its foot.

if (!exists("data") || !exists("out") || !exists("series")) {
  print "usage: gnuplot -e \"data='F'; out='F.png'; series=N\" bench/plot.gp"
  exit status 2
}
if (!exists("subtitle")) subtitle = ""

set terminal pngcairo size 1200,600 font "sans,10" noenhanced
set output out
set datafile missing "?"
set style data histograms
set style histogram errorbars gap 2 lw 1
set style fill solid 0.8 border -1
set errorbars lc "gray35" lw 1
set boxwidth 0.9
set key outside bottom center horizontal
set title "rate relative to the C client (higher is faster)\n" . subtitle
set ylabel "rate / the C client's rate (median; bar: min-max over rounds)"
set yrange [0:*]
set grid ytics
set xtics nomirror
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1.5 lc "black" front
set label 1 "C client" at graph 0.005, first 1 offset 0, 0.6 front

# a bar's centre: row r (from 0) of a group of `series` bars, `gap` wide
gap = 2
x(r, i) = r + (i - (series - 1) / 2.0) / (series + gap)

plot for [i=0:series-1] data \
       using (column(2 + 3 * i)):(column(3 + 3 * i)):(column(4 + 3 * i)):xtic(1) \
       title columnheader(2 + 3 * i), \
     for [i=0:series-1] data skip 1 \
       using (x($0, i)):(column(2 + 3 * i) * 0):(sprintf("%.2f", column(2 + 3 * i))) \
       with labels rotate by 90 left offset 0, 0.4 font ",8" notitle
