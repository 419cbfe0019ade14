# Shortcuts for the scripts, which do the work (and install what is missing).
#   make serve            scripts/serve.sh  (SERVE_ARGS=--release for the optimised build)
#   make test             scripts/test.sh
#   make bench            scripts/bench.sh  (RUNS=3 for fewer runs than the default 5)
.PHONY: serve test bench

serve:
	scripts/serve.sh $(SERVE_ARGS)

test:
	scripts/test.sh

bench:
	scripts/bench.sh $(if $(RUNS),--runs $(RUNS))
