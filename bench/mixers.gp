# Plot of bench/mixers.sh's CSV (gnuplot -e "csv='...'; out='...'; ops='...'"
# mixers.gp): time against length, log-log, per op, D = 64, 2 threads.
set datafile separator ","
set datafile missing NaN
set terminal pngcairo size 900,600 font ',11'
set key left top
set grid
set output out.'/mixers-time-vs-length.png'
set title 'Mixers on mixir-cpu, H = 4 (C = 4 D), D = 64, 2 threads'
set logscale xy
set xlabel 'sequence length L'
set ylabel 'median time (ms)'
plot for [op in ops] csv using ((strcol(1) eq op && strcol(8) eq 'mixir-cpu' && $3 == 64 && $4 == 2) ? $2 : NaN):5 smooth unique with linespoints title op, \
     x / 1024 * 2 with lines dashtype 3 lc 'gray' title 'O(L) slope', \
     (x / 1024) ** 2 * 2 with lines dashtype 2 lc 'gray' title 'O(L^2) slope'
