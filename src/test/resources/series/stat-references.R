# One-step statistical references for the seasonal series, fitted on each series' first half and scored on its
# second (targets from half + 1 on), as `backtest` scores: STL + ARIMA two ways.
#  - "refit": stlm(full series, model = fit), whose fitted values use STL re-run on the whole series: the seasonal
#    component at each time is a two-sided smoothing of that phase across the series, the target included, so these
#    are not forecasts that could have been made at the time;
#  - "fixed": the first half's last season of the STL seasonal component held fixed, and the first half's ARIMA (its
#    parameters fixed) on the series with that season taken out: one-step forecasts from the past alone.
# usage: Rscript stat-references.R seasonal-series.csv public-series.csv   (Debian: apt-get install r-cran-forecast)
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
d <- do.call(rbind, lapply(args, read.csv))
fr <- c(births.cdc = 7, births.ssa = 7, electricity.taylor = 48, nottingham.temp = 12)
rmse <- function(e) sqrt(mean(e^2))
for (s in names(fr)) {
  v <- d$value[d$sensor == s]; f <- fr[[s]]; n <- length(v); half <- n %/% 2; test <- (half + 1):n
  naive <- rmse(v[test] - v[test - 1])
  fit <- stlm(ts(v[1:half], frequency = f), method = "arima")
  refit <- rmse(v[test] - as.numeric(fitted(stlm(ts(v, frequency = f), model = fit)))[test])
  seas <- as.numeric(seasonal(fit$stl))
  S <- sapply(1:n, function(t) if (t <= half) seas[t] else seas[half - f + 1 + ((t - (half - f + 1)) %% f)])
  fixed <- rmse(v[test] - (as.numeric(fitted(Arima(ts(v - S, frequency = f), model = fit$model)))[test] + S[test]))
  cat(sprintf("%-20s naive %10.3f  stlm refit %10.3f (skill %+.3f)  stlm fixed season %10.3f (skill %+.3f)\n",
              s, naive, refit, 1 - refit / naive, fixed, 1 - fixed / naive))
}
