# Generates the reference fixtures of packages/surveillance/test/fixtures/*.json from the R
# package `surveillance` (issue #7). CI has no R: the tests only read the committed JSON.
# Run from the repository root:  Rscript scripts/surveillance-reference/make-fixtures.R
# Requires: apt-get install -y r-cran-surveillance (jsonlite comes with it).
suppressPackageStartupMessages({
  library(surveillance)
  library(jsonlite)
})

outDir <- "packages/surveillance/test/fixtures"
dir.create(outDir, showWarnings = FALSE, recursive = TRUE)
n <- 364 # 7 years of weekly counts: the Farrington flexible range (5*52+3+1):364 has 101 points
t <- seq_len(n)

# Several seeded weekly series. Outbreaks are added as extra Poisson counts over a few weeks.
addOutbreaks <- function(y, starts, size) {
  for (s in starts) {
    len <- 3
    y[s:(s + len - 1)] <- y[s:(s + len - 1)] + rpois(len, size)
  }
  y
}
series <- list()
set.seed(20260701)
series$seasonal_clean <- rpois(n, exp(1.8 + 0.6 * sin(2 * pi * t / 52)))
set.seed(20260702)
series$seasonal_outbreaks <- addOutbreaks(
  rpois(n, exp(1.8 + 0.6 * sin(2 * pi * t / 52) + 0.2 * cos(2 * pi * t / 52))),
  c(60, 150, 280, 300, 340), 12
)
set.seed(20260703)
series$point_source <- sim.pointSource(
  p = 0.99, r = 0.5, length = n, A = 1, alpha = 1, beta = 0, phi = 0,
  frequency = 1, state = NULL, K = 1.7
)$observed
set.seed(20260704)
series$low_counts <- addOutbreaks(rpois(n, 0.4 + 0.3 * (sin(2 * pi * t / 52) > 0.5)), c(290, 330), 3)
set.seed(20260705)
series$trend <- addOutbreaks(rpois(n, exp(1.5 + 0.004 * t + 0.5 * cos(2 * pi * t / 52))), c(320), 15)
set.seed(20260706)
series$overdispersed <- addOutbreaks(
  rnbinom(n, mu = exp(2.5 + 0.4 * sin(2 * pi * t / 52)), size = 4), c(200, 310, 350), 25
)

na2null <- function(x) {
  x <- as.numeric(x)
  lapply(x, function(v) if (is.na(v)) NULL else v)
}
write <- function(name, obj) {
  path <- file.path(outDir, paste0(name, ".json"))
  writeLines(toJSON(obj, auto_unbox = TRUE, digits = I(17), null = "null", pretty = FALSE), path)
  cat("wrote", path, "\n")
}

meta <- list(
  generator = "scripts/surveillance-reference/make-fixtures.R",
  rVersion = R.version.string,
  surveillanceVersion = as.character(packageVersion("surveillance"))
)

# EARS C1/C2/C3 (earsC). `alpha` NULL = R's own default: 0.001 for C1/C2, 0.025 for C3.
earsCases <- list(
  list(method = "C1", alpha = NULL), list(method = "C2", alpha = NULL),
  list(method = "C3", alpha = NULL), list(method = "C3", alpha = 0.001),
  list(method = "C1", alpha = 0.01, minSigma = 0.5)
)
ears <- list()
for (nm in names(series)) {
  y <- series[[nm]]
  s <- sts(observed = y, frequency = 52, start = c(2015, 1))
  for (cs in earsCases) {
    control <- list(method = cs$method, baseline = 7)
    if (!is.null(cs$alpha)) control$alpha <- cs$alpha
    if (!is.null(cs$minSigma)) control$minSigma <- cs$minSigma
    r <- earsC(s, control = control)
    ears[[length(ears) + 1]] <- list(
      series = nm,
      control = list(method = cs$method, baseline = 7, alpha = cs$alpha, minSigma = cs$minSigma),
      index = r@control$range - 1, # 0-based
      upperbound = na2null(r@upperbound), alarm = na2null(r@alarm)
    )
  }
}
write("ears", list(meta = meta, series = series, cases = ears))

# CUSUM (algo.cusum) with its defaults k = 1.04, h = 2.26, trans = "standard", m = NULL.
cus <- list()
for (nm in names(series)) {
  y <- series[[nm]]
  for (start in c(105, 261)) {
    d <- sts2disProg(sts(observed = y, frequency = 52, start = c(2015, 1)))
    r <- algo.cusum(d, control = list(range = start:n))
    cus[[length(cus) + 1]] <- list(
      series = nm, control = list(start = start - 1, k = 1.04, h = 2.26, trans = "standard"),
      m = r$control$m, upperbound = na2null(r$upperbound), alarm = na2null(r$alarm),
      cusum = na2null(r$cusum)
    )
  }
}
write("cusum", list(meta = meta, series = series, cases = cus))

# Farrington flexible, in the Noufaily (2013) configuration and in the original (1996) one.
configs <- list(
  noufaily = list(
    b = 5, w = 3, reweight = TRUE, weightsThreshold = 2.58, alpha = 0.05, trend = TRUE,
    pThresholdTrend = 0.05, limit54 = c(5, 4), powertrans = "2/3", populationOffset = FALSE,
    noPeriods = 10, pastWeeksNotIncluded = 26, thresholdMethod = "nbPlugin"
  ),
  farrington = list(
    b = 5, w = 3, reweight = TRUE, weightsThreshold = 1, alpha = 0.05, trend = TRUE,
    pThresholdTrend = 0.05, limit54 = c(5, 4), powertrans = "2/3", populationOffset = FALSE,
    noPeriods = 1, pastWeeksNotIncluded = 3, thresholdMethod = "delta"
  )
)
ff <- list()
for (nm in names(series)) {
  y <- series[[nm]]
  for (cn in names(configs)) {
    control <- configs[[cn]]
    s <- sts(observed = y, frequency = 52, start = c(2015, 1))
    r <- farringtonFlexible(s, control = c(control, list(glmWarnings = FALSE)))
    ff[[length(ff) + 1]] <- list(
      series = nm, config = cn, control = control,
      index = (52 * control$b + control$w + 1):n - 1,
      upperbound = na2null(r@upperbound), alarm = na2null(r@alarm),
      expected = na2null(r@control$expected), pvalue = na2null(r@control$pvalue),
      score = na2null(r@control$score), phi = na2null(r@control$phiVector),
      trend = na2null(r@control$trend)
    )
  }
}
# The same by date (epochAsDate = TRUE): Mondays of ISO weeks from 2018-01-01; 2020 has 53 ISO
# weeks, so the reference weeks found by date are one position off k - 52i for part of the range.
# The range starts at 270 so that every reference window lies inside the series.
dates <- as.Date("2018-01-01") + 7 * (0:(n - 1))
for (nm in c("seasonal_outbreaks", "trend", "overdispersed")) {
  y <- series[[nm]]
  for (cn in names(configs)) {
    control <- configs[[cn]]
    s <- sts(observed = y, epoch = dates, epochAsDate = TRUE, frequency = 52)
    r <- farringtonFlexible(s, control = c(control, list(glmWarnings = FALSE, range = 270:n)))
    ff[[length(ff) + 1]] <- list(
      series = nm, config = cn, control = control, dates = format(dates), start = 269,
      index = 270:n - 1,
      upperbound = na2null(r@upperbound), alarm = na2null(r@alarm),
      expected = na2null(r@control$expected), pvalue = na2null(r@control$pvalue),
      score = na2null(r@control$score), phi = na2null(r@control$phiVector),
      trend = na2null(r@control$trend)
    )
  }
}
write("farrington-flexible", list(meta = meta, series = series, cases = ff))

# Keep the committed files in the repository's Prettier style (`npx prettier --check` in CI).
if (nzchar(Sys.which("npx"))) {
  system2("npx", c("prettier", "--log-level", "warn", "--write", outDir))
}
