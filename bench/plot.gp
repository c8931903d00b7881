# Plots of bench/run.sh's CSV (gnuplot -e "csv='...'; out='...'" plot.gp):
# time against length (log-log) per case, and GFLOP/s against the SGEMM
# ceiling, both for 2 threads and D = 64.
set datafile separator ","
set datafile missing NaN
set terminal pngcairo size 900,600 font ',11'
set key left top
set grid

set output out.'/time-vs-length.png'
set title 'Attention, H = 4, D = 64, 2 threads'
set logscale xy
set xlabel 'sequence length L'
set ylabel 'median time (ms)'
cases = 'dense causal sparse'
plot for [k in cases] csv using ((strcol(1) eq k && strcol(2) eq 'mixir' && strcol(12) eq 'mixir-cpu' && $7 == 2 && $6 == 64) ? $5 : NaN):8 smooth unique with linespoints title 'mixir-cpu '.k, \
     for [k in cases] csv using ((strcol(1) eq k && strcol(2) eq 'unfused' && $7 == 2 && $6 == 64) ? $5 : NaN):8 smooth unique with linespoints dashtype 2 title 'OpenBLAS unfused '.k

set output out.'/gflops.png'
set key right center
set title 'Dense attention GFLOP/s (4 B H S T D), 2 threads, against SGEMM'
unset logscale y
set ylabel 'GFLOP/s'
stats csv using ((strcol(1) eq 'sgemm' && $7 == 2) ? $10 : NaN) nooutput
ceiling = STATS_max
plot for [d in '64 128'] csv using ((strcol(1) eq 'dense' && strcol(2) eq 'mixir' && strcol(12) eq 'mixir-cpu' && $7 == 2 && $6 == d+0) ? $5 : NaN):10 smooth unique with linespoints title 'mixir-cpu D = '.d, \
     for [d in '64 128'] csv using ((strcol(1) eq 'dense' && strcol(2) eq 'unfused' && $7 == 2 && $6 == d+0) ? $5 : NaN):10 smooth unique with linespoints dashtype 2 title 'OpenBLAS unfused D = '.d, \
     ceiling with lines linewidth 2 title 'OpenBLAS SGEMM 2048^3'
