# R side of scripts/bench-surveillance-detection.mjs: runs farringtonFlexible (Noufaily
# configuration) and earsC C3 on the latest week of every series of a JSON file and reports the
# time of the computation alone (package loading excluded), plus the results for comparison.
# Usage: Rscript scripts/surveillance-reference/bench.R <series.json> <results.json>
suppressPackageStartupMessages({
  library(surveillance)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
input <- fromJSON(args[[1]], simplifyVector = FALSE)
series <- lapply(input$series, function(s) as.numeric(unlist(s)))
control <- list(
  b = 5, w = 3, reweight = TRUE, weightsThreshold = 2.58, alpha = 0.05, trend = TRUE,
  pThresholdTrend = 0.05, limit54 = c(5, 4), powertrans = "2/3", populationOffset = FALSE,
  noPeriods = 10, pastWeeksNotIncluded = 26, thresholdMethod = "nbPlugin", glmWarnings = FALSE
)
started <- proc.time()[["elapsed"]]
ff <- numeric(length(series))
c3 <- numeric(length(series))
for (i in seq_along(series)) {
  y <- series[[i]]
  n <- length(y)
  s <- sts(observed = y, frequency = 52, start = c(2020, 1))
  ff[i] <- farringtonFlexible(s, control = c(control, list(range = n)))@upperbound[1]
  # A one-point range trips earsC C3 (refVals[3:3, ] drops to a vector): ask for two, keep the last.
  c3[i] <- earsC(s, control = list(method = "C3", range = (n - 1):n))@upperbound[2]
}
elapsed <- proc.time()[["elapsed"]] - started
writeLines(toJSON(list(ms = elapsed * 1000, farrington = ff, c3 = c3), digits = I(17), auto_unbox = TRUE), args[[2]])
