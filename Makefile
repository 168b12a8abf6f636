# pardemo - parallel programming, shown live.
# `make run` builds and runs the tour; `make test` runs the suite twice
# (plain with -Werror, then under AddressSanitizer + UBSan).

CC      ?= gcc
CFLAGS  ?= -O2 -g
PREFIX  ?= /usr/local
DESTDIR ?=
B       ?= build/release

STD_FLAGS = -std=gnu11 -fopenmp -pthread -Wall -Wextra $(if $(WERROR),-Werror)
ALL_CPPFLAGS = -Ilib -Idemos $(CPPFLAGS)
ALL_CFLAGS = $(STD_FLAGS) $(CFLAGS) $(SAN)
ALL_LDLIBS = -fopenmp -pthread -lm -lrt $(SAN) $(LDLIBS)

LIB_SRC  := $(sort $(wildcard lib/*.c lib/*/*.c))
DEMO_SRC := $(sort $(wildcard demos/*.c))
TEST_SRC := $(sort $(wildcard tests/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
DEMO_OBJ := $(DEMO_SRC:%.c=$(B)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(B)/%.o)

ASAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
             -fno-omit-frame-pointer
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
          UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
NEED = sh scripts/need.sh
BUILD_DEPS = gcc:gcc make:make pkg-config:pkg-config

.PHONY: all run test test-run test-asan deps deps-test clean install \
        uninstall plots FORCE

all: pardemo

# ./pardemo is a copy of the release build, so `make` alone is enough.
pardemo: $(B)/pardemo
	cp $< $@

$(B)/pardemo: $(LIB_OBJ) $(DEMO_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDLIBS)

$(B)/run_tests: $(LIB_OBJ) $(TEST_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lcriterion $(ALL_LDLIBS)

# Objects are rebuilt when the flags change (the .flags stamp), so a
# -Werror or sanitizer build never reuses objects built otherwise.
$(B)/%.o: %.c $(B)/.flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(B)/.flags: FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDLIBS)' | \
	    cmp -s - $@ || echo '$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDLIBS)' > $@

# `pardemo bench` records the build's flags in its CSV header; they come
# from the same stamp, as a generated header (quotes and backslashes
# escaped for a C string).
$(B)/buildinfo.h: $(B)/.flags
	@sed 's/[\\"]/\\&/g; s/.*/#define PARDEMO_BUILD_FLAGS "&"/' $< > $@
$(B)/demos/bench.o: $(B)/buildinfo.h
$(B)/demos/bench.o: ALL_CPPFLAGS += -I$(B)

-include $(LIB_OBJ:.o=.d) $(DEMO_OBJ:.o=.d) $(TEST_OBJ:.o=.d)

deps:
	@$(NEED) $(BUILD_DEPS)

deps-test: deps
	@$(NEED) /usr/include/criterion/criterion.h:libcriterion-dev \
	    python3:python3

run: deps
	$(MAKE) pardemo
	./pardemo tour --quick

# The suite: a -Werror build, then the same suite under ASan + UBSan.
test: deps-test
	$(MAKE) test-run B=build/test WERROR=1
	$(MAKE) test-asan

test-asan: deps-test
	$(MAKE) test-run B=build/asan WERROR=1 SAN="$(ASAN_FLAGS)" \
	    RUN_ENV="$(SAN_ENV)" CFLAGS="-O1 -g"

test-run: $(B)/pardemo $(B)/run_tests
	@echo "== suite: $(B) =="
	cd tests && env PARDEMO_BIN=$(abspath $(B)/pardemo) \
	    PARDEMO_SHARED=$(abspath ../shared) $(RUN_ENV) \
	    $(abspath $(B)/run_tests) --jobs 2

# Charts: sweep every topic that has kernels, record the concurrency
# timeline, draw them all into plots/ (PNG and SVG), and refresh the
# README's example chart. QUICK=1: classroom sizes and one rep (<= 60 s).
# A wrong checksum makes bench exit 1; the charts show it, so we go on.
# BENCH_ARGS adds bench options: make plots BENCH_ARGS="--workers 1,2,4"
PLOTS ?= plots
PLOT_SWEEP = $(if $(QUICK),--quick --reps 1,--reps 3)
EXAMPLE_TOPIC ?= forkjoin

plots: pardemo
	@$(NEED) gnuplot:gnuplot-nox || true
	@mkdir -p $(PLOTS) && rm -f $(PLOTS)/bench.csv
	./pardemo bench all $(PLOT_SWEEP) $(BENCH_ARGS) -o $(PLOTS)/bench.csv \
	    || \
	    echo "pardemo: make plots: the sweep reported problems (above);" \
	        "plotting what it measured" >&2
	@conc=; if ./pardemo list | grep -q '^  concurrency '; then \
	    ./pardemo concurrency --format csv $(if $(QUICK),--quick) \
	        > $(PLOTS)/concurrency.csv && conc=$(PLOTS)/concurrency.csv; \
	fi; \
	echo ./pardemo plot $(PLOTS)/bench.csv $$conc -o $(PLOTS); \
	./pardemo plot $(PLOTS)/bench.csv $$conc -o $(PLOTS)
	@for f in $(PLOTS)/speedup-$(EXAMPLE_TOPIC).png $(PLOTS)/speedup-*.png; \
	do \
	    if [ -f "$$f" ]; then mkdir -p docs; \
	        cp "$$f" docs/speedup-example.png; \
	        echo "example chart: $$f -> docs/speedup-example.png"; break; \
	    fi; \
	done

install: pardemo
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/pardemo/bench
	install -m 755 pardemo $(DESTDIR)$(PREFIX)/bin/pardemo
	install -m 644 bench/*.gp $(DESTDIR)$(PREFIX)/share/pardemo/bench

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/pardemo
	rm -rf $(DESTDIR)$(PREFIX)/share/pardemo/bench

clean:
	rm -rf build pardemo
