# pardemo - parallel programming, shown live.
# `make run` builds and runs the tour; `make test` runs the suite on a
# -Werror build, then its quicker part under AddressSanitizer + UBSan;
# `make test-full` adds the rest under the sanitizers, and valgrind.

CC      ?= gcc
# Every build without a sanitizer is hardened as Debian builds its
# packages (dpkg-buildflags, hardening=+all: a stack protector, fortified
# calls, relro, bind now), so `make deb` packages the very binary the
# suite tested, with no second build. -ffile-prefix-map is left out: it
# names the checkout, and a copy of the tree (the worksheet-exercise
# tests) must build with the same flags. Without dpkg-dev: -O2 -g.
DEB_FLAGS = DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get
HAS_DPKG := $(shell command -v dpkg-buildflags 2>/dev/null)
ifeq ($(origin CFLAGS),undefined)
CFLAGS := $(if $(HAS_DPKG),$(filter-out -ffile-prefix-map=%,\
              $(shell $(DEB_FLAGS) CFLAGS)),-O2 -g)
endif
HARDEN_CPPFLAGS := $(if $(HAS_DPKG),$(shell $(DEB_FLAGS) CPPFLAGS))
HARDEN_LDFLAGS := $(if $(HAS_DPKG),$(shell $(DEB_FLAGS) LDFLAGS))
PREFIX  ?= /usr/local
DESTDIR ?=
B       ?= build/release

STD_FLAGS = -std=gnu11 -fopenmp -pthread -Wall -Wextra $(if $(WERROR),-Werror)
# LAYER_INC is set per folder below; the rest is the same for every object.
# (a sanitizer is not hardened: ASan misses what a fortified call checks)
BASE_CPPFLAGS = $(CPPFLAGS) $(if $(SAN),,$(HARDEN_CPPFLAGS))
ALL_CPPFLAGS = $(LAYER_INC) $(BASE_CPPFLAGS)
ALL_CFLAGS = $(STD_FLAGS) $(CFLAGS) $(SAN)
ALL_LDLIBS = -fopenmp -pthread -lm -lrt $(SAN) $(LDLIBS) \
             $(if $(SAN),,$(HARDEN_LDFLAGS))

# Open MPI, when mpicc is installed (make deps-mpi): the RDD engine then
# runs across ranks under mpirun; without it pardemo builds all the same.
# MPI=0 builds without it even so.
MPI ?= $(if $(shell command -v mpicc 2>/dev/null),1,0)
ifeq ($(MPI),1)
MPI_CPPFLAGS := -DPARDEMO_MPI $(shell mpicc --showme:compile)
MPI_LDLIBS := $(shell mpicc --showme:link)
BASE_CPPFLAGS += $(MPI_CPPFLAGS)
ALL_LDLIBS += $(MPI_LDLIBS)
endif

# The layers (docs/ARCHITECTURE.md). lib/ is the library, by role; the
# commands sit on top of it: the lecture topics in demos/, the bench
# harness in bench/, the other tools in tools/. bench/ and tools/ also hold
# helpers of their own (the sweep, the CSV, the quiz bank) that the tests
# link; CMD_SRC names the files that are commands.
LIB_SRC    := $(sort $(wildcard lib/*/*.c lib/*/*/*.c))
CMD_SRC    := $(sort $(wildcard demos/*.c bench/plot*.c) bench/bench.c \
                     tools/gen.c tools/tour.c tools/quiz.c)
HELPER_SRC := $(filter-out $(CMD_SRC),$(sort $(wildcard bench/*.c tools/*.c)))
TEST_SRC   := $(sort $(wildcard tests/*.c tests/fuzz/*.c))
LIB_OBJ    := $(LIB_SRC:%.c=$(B)/%.o) $(HELPER_SRC:%.c=$(B)/%.o)
DEMO_OBJ   := $(CMD_SRC:%.c=$(B)/%.o)
TEST_OBJ   := $(TEST_SRC:%.c=$(B)/%.o)

# Include paths per folder, so a lower layer cannot include a higher one
# (the build fails if it tries): lib/core sees only itself; lib/data sees
# core; lib/par sees core and data; lib/rdd sees core and data; lib/sql
# sees core, data and rdd; lib/lesson (the topics' rules) sees core, data
# and par; the commands see all of lib; lib never sees demos/, bench/ or
# tools/.
# Includes stay flat ("cli.h"); the engine's are "rdd/rdd.h" (-Ilib).
INC_CORE = -Ilib/core
INC_DATA = $(INC_CORE) -Ilib/data
INC_PAR  = $(INC_DATA) -Ilib/par
INC_RDD  = $(INC_DATA)
INC_SQL  = -Ilib $(INC_DATA)
INC_LIB  = -Ilib $(INC_PAR)
INC_CMD  = $(INC_LIB) -Idemos -Ibench -Itools
$(B)/lib/core/%.o: LAYER_INC = $(INC_CORE)
$(B)/lib/data/%.o: LAYER_INC = $(INC_DATA)
$(B)/lib/par/%.o:  LAYER_INC = $(INC_PAR)
$(B)/lib/rdd/%.o:  LAYER_INC = $(INC_RDD)
$(B)/lib/sql/%.o:  LAYER_INC = $(INC_SQL)
$(B)/lib/lesson/%.o: LAYER_INC = -Ilib $(INC_PAR)
$(B)/demos/%.o:    LAYER_INC = $(INC_CMD)
$(B)/bench/%.o:    LAYER_INC = $(INC_CMD)
$(B)/tools/%.o:    LAYER_INC = $(INC_CMD)
$(B)/tests/%.o:    LAYER_INC = $(INC_CMD) -Itests

# `pardemo spark` embeds Debian's CPython (python3-dev): its flags for
# lib/pyspark, and the pyspark package's Python compiled into the binary
# ($(PY_GEN), from lib/pyspark/python by scripts/pycompile.c).
PY_CFLAGS = $(shell pkg-config --cflags python3-embed)
PY_LDLIBS = $(shell pkg-config --libs python3-embed)
PY_SRC   := $(sort $(shell find lib/pyspark/python -name '*.py'))
# the lessons' Python snippets (lib/pyspark/pylesson.h), modules by their
# file names: demos/python/gil_burn.py is `gil_burn`
PY_LESSONS := $(sort $(wildcard demos/python/*.py))
PY_GEN    = $(B)/gen/pysrc.c
LIB_OBJ  += $(B)/gen/pysrc.o
ALL_LDLIBS += $(PY_LDLIBS)
$(B)/lib/pyspark/%.o: LAYER_INC = -Ilib $(INC_DATA) $(PY_CFLAGS)
# a test that drives the embedded Python itself
$(B)/tests/test_pyfork.o: LAYER_INC = $(INC_CMD) -Itests $(PY_CFLAGS)

# lib/ is by role: a file at its top, or a folder with no include paths
# above, would build with the wrong ones (or none), so say so plainly.
LIB_STRAY   := $(wildcard lib/*.c lib/*.h)
LIB_UNKNOWN := $(filter-out core data par rdd sql lesson pyspark,$(patsubst lib/%/,%,$(wildcard lib/*/)))
ifneq ($(LIB_STRAY),)
$(error $(LIB_STRAY): move into lib/core, lib/data, lib/par or lib/rdd (see lib/README.md))
endif
ifneq ($(LIB_UNKNOWN),)
$(error lib/$(firstword $(LIB_UNKNOWN))/: give it include paths (LAYER_INC) in the Makefile)
endif

ASAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
             -fno-omit-frame-pointer
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:allocator_may_return_null=1 \
          LSAN_OPTIONS=suppressions=$(abspath tests/lsan.supp):print_suppressions=0 \
          UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# What each target needs on a minimal Debian 12, as CHECK:PACKAGE pairs
# (scripts/need.sh installs the missing ones). gcc alone, without its
# Recommends, has no C library headers: libc6-dev is named. python3-dev:
# the embedded CPython (issue 17); /usr/bin paths, so that another
# python3 on PATH (pyenv) does not count. dpkg-dev: dpkg-buildflags, the
# hardening every build gets (read when make starts: `make deps` first).
NEED = sh scripts/need.sh
BUILD_DEPS = gcc:gcc /usr/include/stdio.h:libc6-dev make:make \
    pkg-config:pkg-config /usr/bin/python3-config:python3-dev \
    dpkg-buildflags:dpkg-dev
TEST_DEPS = /usr/include/criterion/criterion.h:libcriterion-dev \
    man:man-db dpkg-deb:dpkg-dev dpkg-shlibdeps:dpkg-dev \
    /usr/bin/python3:python3 valgrind:valgrind gnuplot:gnuplot-nox \
    lintian:lintian pgrep:procps readelf:binutils ss:iproute2

.PHONY: all run test test-full test-run test-asan deps deps-test deps-mpi \
        deps-platforms clean install uninstall man deb fuzz valgrind \
        test-tsan plots readme-chart bench test-fresh FORCE

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
	@echo '$(CC) $(BASE_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDLIBS)' | \
	    cmp -s - $@ || echo '$(CC) $(BASE_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDLIBS)' > $@

# `pardemo bench` records the build's flags in its CSV header; they come
# from the same stamp, as a generated header (quotes and backslashes
# escaped for a C string).
$(B)/buildinfo.h: $(B)/.flags
	@sed 's/[\\"]/\\&/g; s/.*/#define PARDEMO_BUILD_FLAGS "&"/' $< > $@
$(B)/bench/bench.o: $(B)/buildinfo.h
$(B)/bench/bench.o: ALL_CPPFLAGS += -I$(B)

# The pyspark package's modules as bytecode, compiled by the libpython
# pardemo links (scripts/pycompile.c), in a table embed.c serves.
$(B)/pycompile: scripts/pycompile.c $(B)/.flags
	@mkdir -p $(@D)
	$(CC) $(PY_CFLAGS) -O1 -o $@ $< $(PY_LDLIBS)

$(PY_GEN): $(B)/pycompile $(PY_SRC) $(PY_LESSONS)
	@mkdir -p $(@D)
	$(B)/pycompile $@.tmp lib/pyspark/python $(PY_SRC) \
	    demos/python/ $(PY_LESSONS) && mv $@.tmp $@

$(B)/gen/pysrc.o: $(PY_GEN)
	$(CC) -Ilib $(ALL_CFLAGS) -c $< -o $@

-include $(LIB_OBJ:.o=.d) $(DEMO_OBJ:.o=.d) $(TEST_OBJ:.o=.d)

deps:
	@$(NEED) $(BUILD_DEPS)

deps-mpi:
	@$(NEED) mpicc:libopenmpi-dev mpirun:openmpi-bin

# The optional platforms of `pardemo platforms`: Dask, pandas, mawk (and
# Open MPI, above). Debian's python3 is where apt-get puts them.
deps-platforms: deps-mpi
	@$(NEED) /usr/lib/python3/dist-packages/dask/__init__.py:python3-dask \
	    /usr/lib/python3/dist-packages/pandas/__init__.py:python3-pandas \
	    mawk:mawk

deps-test: deps deps-mpi deps-platforms
	@$(NEED) $(TEST_DEPS)

run: deps
	$(MAKE) pardemo
	./pardemo tour --quick

# The suite (CI runs it; about 9 minutes on 2 CPUs): the whole suite on a
# -Werror build but the width suite, then under ASan + UBSan every suite
# but the slow ones. The slow suites run whole topics over and over
# (every topic at every size, the worksheets, signals at random moments,
# the .deb); under the sanitizers they take about half an hour, so `make
# test-full` runs them there, and every topic's small run under valgrind:
# run it before an issue is resolved. test-full alone also runs:
# - every run of the signal tests (make test makes half: each case and
#   each signal still, at fewer moments);
# - the width suite (every topic at its default size, in 80 columns; the
#   tour's test checks every topic's --quick output in make test);
# - under ASan, the tests of every Python start method (named
#   *every_start_method): a spawned child there is a whole sanitized
#   pardemo, 15-37 s a test (the fork method is tested all the same).
# The suite runs on the release build itself, made with -Werror (one
# build, not two; in a fresh clone, as CI's, every file is compiled so):
# the worksheet-exercise tests copy its objects and rebuild only the file
# an exercise edits.
SLOW_RUNS   = tour|width|worksheets|worksheet_edits|signals|install
# gil too: under ASan, once in 5 runs its json test timed out at 120 s,
# a forked child waiting on a multiprocessing lock (issue 18's note).
SLOW_SUITES = $(SLOW_RUNS)|platforms|spark_dataframe|spark_programs|gil
SLOW_TESTS  = @($(SLOW_SUITES))/*|*/*every_start_method
# Each build uses every CPU (CI calls plain `make test`).
BUILD_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
test: deps-test
	$(MAKE) -j$(BUILD_JOBS) pardemo WERROR=1
	$(MAKE) -j$(BUILD_JOBS) test-run WERROR=1 SUITES='!(width/*)'
	$(MAKE) -j$(BUILD_JOBS) test-asan SUITES='!($(SLOW_TESTS))'

# (the signal tests make all their runs, make test half of them)
test-full: export PARDEMO_TEST_FULL = 1
test-full: test
	sh scripts/each-topic.sh build/release/pardemo $(VALGRIND)
	$(MAKE) -j$(BUILD_JOBS) test-asan SUITES='@($(SLOW_TESTS))'

test-asan: deps-test
	$(MAKE) test-run B=build/asan WERROR=1 SAN="$(ASAN_FLAGS)" \
	    RUN_ENV="$(SAN_ENV)" CFLAGS="-O1 -g"

# The suite gets a TMPDIR of its own, removed afterwards (scripts/suite.sh).
# Four tests at once on 2 CPUs: many of them wait most of the time (for a
# child, a signal, a lock), and four keep both CPUs busy.
# SUITES: which tests, as Criterion's pattern: make test-run SUITES='race/*'
TEST_JOBS ?= 4
test-run: $(B)/pardemo $(B)/run_tests
	@echo "== suite: $(B) $(SUITES) =="
	cd tests && env PARDEMO_BIN=$(abspath $(B)/pardemo) \
	    PARDEMO_SHARED=$(abspath ../shared) $(RUN_ENV) \
	    $(if $(SUITES),CRITERION_TEST_PATTERN='$(SUITES)') \
	    sh ../scripts/suite.sh $(abspath $(B)/run_tests) --jobs $(TEST_JOBS)

# Charts: sweep every topic that has kernels, record the concurrency
# timeline, draw them all into PLOTS (PNG and SVG); nothing is written
# outside PLOTS. QUICK=1: classroom sizes and one rep (<= 60 s).
# A wrong checksum makes bench exit 1; the charts show it, so we go on.
# BENCH_ARGS adds bench options: make plots BENCH_ARGS="--workers 1,2,4"
PLOTS ?= plots
PLOT_SWEEP = $(if $(QUICK),--quick --reps 1,--reps 3)
EXAMPLE_TOPIC ?= threads

plots: pardemo
	@$(NEED) gnuplot:gnuplot-nox
	@mkdir -p $(PLOTS) && rm -f $(PLOTS)/bench.csv
	./pardemo bench all $(PLOT_SWEEP) $(BENCH_ARGS) -o $(PLOTS)/bench.csv \
	    || \
	    echo "pardemo: make plots: the sweep reported problems (above);" \
	        "plotting what it measured" >&2
	@conc=; if ./pardemo list | grep -q '^  concurrency '; then \
	    ./pardemo concurrency --format csv $(if $(QUICK),--quick) \
	        > $(PLOTS)/concurrency.csv.tmp && \
	    mv $(PLOTS)/concurrency.csv.tmp $(PLOTS)/concurrency.csv && \
	    conc=$(PLOTS)/concurrency.csv; \
	fi; rm -f $(PLOTS)/concurrency.csv.tmp; \
	echo ./pardemo plot $(PLOTS)/bench.csv $$conc -o $(PLOTS); \
	./pardemo plot $(PLOTS)/bench.csv $$conc -o $(PLOTS)

# The README's chart (docs/speedup-example.png, tracked): make plots, then
# copy EXAMPLE_TOPIC's speedup chart. Run it on purpose, on a quiet
# machine, and check the README's words still fit the picture.
readme-chart: plots
	@f=$(PLOTS)/speedup-$(EXAMPLE_TOPIC).png; \
	test -f "$$f" || { echo "pardemo: make readme-chart: make plots drew" \
	    "no $$f" >&2; exit 1; }; \
	mkdir -p docs && cp "$$f" docs/speedup-example.png && \
	echo "$$f -> docs/speedup-example.png"

# `make run` and `make test` on a fresh minimal Debian 12, in a chroot with
# its own mount, IPC, PID and UTS namespaces (scripts/test-fresh.sh):
# proves the set-up is complete. Root, network to the Debian mirror and
# several minutes; not part of CI. The base system is cached in
# build/fresh; every run starts from a new copy of it and a clean clone
# of HEAD. FRESH_TARGETS="run" runs only that.
FRESH_TARGETS ?= run test

test-fresh:
	sh scripts/test-fresh.sh $(FRESH_TARGETS)

# What `make install` puts under $(PREFIX); uninstall removes exactly these.
# Data the binary reads go to share/pardemo; the worksheets (documents
# for people) to share/doc/pardemo/worksheets, where the FHS puts them.
DATA_FILES = $(wildcard worksheets/*.txt bench/gnuplot/*.gp \
                        platforms/*.py platforms/*.sh platforms/*.awk \
                        platforms/README.md)
DOC_FILES = $(wildcard worksheets/*.md worksheets/answers/*.md)
BINDIR   = $(DESTDIR)$(PREFIX)/bin
MANDIR   = $(DESTDIR)$(PREFIX)/share/man/man1
COMPDIR  = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
SHAREDIR = $(DESTDIR)$(PREFIX)/share/pardemo
DOCDIR   = $(DESTDIR)$(PREFIX)/share/doc/pardemo

# Every topic at a small size under valgrind, children followed:
# no invalid access, 0 bytes definitely lost.
VALGRIND = valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
           --error-exitcode=1 --trace-children=yes

valgrind: deps
	@$(NEED) valgrind:valgrind
	$(MAKE) pardemo
	sh scripts/each-topic.sh ./pardemo $(VALGRIND)

# Every topic under ThreadSanitizer. The one deliberately racy kernel is
# excluded by name in tests/tsan.supp; nothing else is suppressed.
# Built with clang and LLVM's libomp: gcc's libgomp is not built with TSan,
# so TSan cannot see its barriers and reports every OpenMP region as a race;
# libomp's tool libarcher tells TSan where OpenMP synchronises.
TSAN_LLVM = /usr/lib/llvm-14/lib
TSAN_ENV = TSAN_OPTIONS="halt_on_error=1 ignore_noninstrumented_modules=1 \
           suppressions=$(abspath tests/tsan.supp)" \
           OMP_TOOL_LIBRARIES=$(TSAN_LLVM)/libarcher.so \
           LD_LIBRARY_PATH=$(TSAN_LLVM)

test-tsan: deps
	@$(NEED) clang:clang $(TSAN_LLVM)/libarcher.so:libomp-14-dev
	$(MAKE) B=build/tsan CC=clang SAN="-fsanitize=thread" CFLAGS="-O1 -g" \
	    build/tsan/pardemo
	$(TSAN_ENV) sh scripts/each-topic.sh build/tsan/pardemo

# INSTALL_BIN: the binary to install (the suite installs the one it
# tests, so that installing builds nothing).
INSTALL_BIN ?= pardemo
install: $(INSTALL_BIN)
	install -d $(BINDIR) $(MANDIR) $(COMPDIR) $(SHAREDIR)
	install -m 755 $(INSTALL_BIN) $(BINDIR)/pardemo
	install -m 644 man/pardemo.1 $(MANDIR)/pardemo.1
	install -m 644 completion/pardemo.bash $(COMPDIR)/pardemo
	for f in $(DATA_FILES); do \
	    case $$f in *.sh) m=755;; *) m=644;; esac; \
	    install -D -m $$m $$f $(SHAREDIR)/$$f || exit 1; done
	for f in $(DOC_FILES); do \
	    install -D -m 644 $$f $(DOCDIR)/$$f || exit 1; done

uninstall:
	rm -f $(BINDIR)/pardemo $(MANDIR)/pardemo.1 $(COMPDIR)/pardemo
	rm -f $(addprefix $(SHAREDIR)/,$(DATA_FILES))
	rm -f $(addprefix $(DOCDIR)/,$(DOC_FILES))
	-rmdir $(SHAREDIR)/worksheets $(SHAREDIR)/bench/gnuplot \
	    $(SHAREDIR)/bench $(SHAREDIR)/platforms $(SHAREDIR) \
	    $(DOCDIR)/worksheets/answers $(DOCDIR)/worksheets $(DOCDIR) \
	    2>/dev/null

# The man page is made from the binary's own --help texts.
man: pardemo
	sh scripts/mkman.sh ./pardemo > man/pardemo.1.tmp
	mv man/pardemo.1.tmp man/pardemo.1

# A Debian package (scripts/mkdeb.sh): DEB_BIN (the release build, made
# with dpkg-buildflags' hardening: fortify, relro, bindnow; the suite
# passes the binary it tested), stripped; Depends from dpkg-shlibdeps;
# copyright, changelog and control from packaging/. Then lintian must
# report no error and no warning (NO_LINTIAN=1 leaves that out: the suite
# runs lintian itself). Lintian leaves a temp file behind, so it gets a
# TMPDIR of its own. The binary is built by a make of its own, started
# after `deps`: on a new machine dpkg-buildflags comes with it.
DEB_BIN ?= pardemo
deb: deps
	@$(NEED) dpkg-shlibdeps:dpkg-dev $(if $(NO_LINTIAN),,lintian:lintian)
	$(if $(filter pardemo,$(DEB_BIN)),$(MAKE) pardemo)
	sh scripts/mkdeb.sh $(DEB_BIN) build
	@test -n "$(NO_LINTIAN)" || { echo lintian build/pardemo_*.deb; \
	    rm -rf build/lintian && mkdir build/lintian && \
	    TMPDIR=$(abspath build/lintian) lintian --fail-on error,warning \
	        build/pardemo_*.deb; st=$$?; rm -rf build/lintian; exit $$st; }

clean:
	rm -rf build pardemo

# Fuzzing (outside CI): each tests/fuzz/fuzz_*.c is a libFuzzer target
# built with clang against lib/. New inputs go to build/fuzz/work-*;
# crashes land in the committed corpus, which `make test` replays.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -DFUZZ_LIBFUZZER \
             -std=gnu11 -fopenmp -pthread $(INC_CMD) -Itests

fuzz:
	@$(NEED) clang:clang \
	    /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a:libclang-rt-14-dev
	@mkdir -p build/fuzz
	@for t in $(FUZZ_TARGETS); do \
	    clang $(FUZZ_FLAGS) -o build/fuzz/$$t tests/fuzz/fuzz_$$t.c \
	        $(filter-out lib/pyspark/%,$(LIB_SRC)) $(HELPER_SRC) -lm -lrt \
	        || exit 1; \
	    mkdir -p build/fuzz/work-$$t tests/fuzz/corpus/$$t; \
	    echo "== fuzz $$t for $(FUZZ_SECONDS) s =="; \
	    build/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        -artifact_prefix=tests/fuzz/corpus/$$t/crash- \
	        build/fuzz/work-$$t tests/fuzz/corpus/$$t 2>&1 | \
	        grep -E 'Done|stat::number_of_executed_units|ERROR|crash-' ; \
	done

# IPC figures next to established benchmarks on this machine (not in CI):
# perf bench sched pipe, rt-tests' pmqtest, dd | dd, perf's memcpy and
# sockperf, each the median of 3 runs beside pardemo ipc/manager's CSV.
.PHONY: bench-ipc
bench-ipc: pardemo
	@$(NEED) perf:linux-perf pmqtest:rt-tests sockperf:sockperf \
	    taskset:util-linux dd:coreutils
	sh scripts/bench-ipc.sh ./pardemo

# Benchmarks (not tests): each prints its figures next to established
# tools measured in the same run. Slow; quote the figures, never assert.
bench: bench-ipc bench-datatask bench-wordcount bench-spark bench-distributed \
       bench-memory

# ---- bench-memory (issue 25): pardemo memory's triad beside STREAM's -------
# bench/reference/stream_ref.c (a minimal STREAM written from its published
# algorithm: stream.c cannot be fetched here), built with this Makefile's
# compiler and flags, on the same array size and all allowed CPUs; then the
# two alternate for ROUNDS rounds (scripts/bench-memory.sh): both triad
# rates each round, the best and the median of each, their ratios and the
# load average. Target: within 10 %. Needs a quiet machine.
STREAM_N ?= 16777216
.PHONY: bench-memory
bench-memory: pardemo
	@mkdir -p $(B)/bench-ref
	$(CC) $(STD_FLAGS) $(CFLAGS) -DSTREAM_ARRAY_SIZE=$(STREAM_N) \
	    -o $(B)/bench-ref/stream_ref bench/reference/stream_ref.c -lm
	@sh scripts/bench-memory.sh ./pardemo $(B)/bench-ref/stream_ref \
	    $(STREAM_N)

# ---- bench-datatask (issue 4): datatask's data mode on 1 GB ---------------
# Generates 1 GB of trade CSV in /tmp (removed afterwards, also on Ctrl-C),
# runs `pardemo datatask FILE --mode data` at 1 and 2 workers and
# `mawk -F, '{s[$5]+=$9}'` single-threaded, and prints MB/s. Targets: >= 1.8x
# at 2 workers; 1 worker within 2x of mawk or better. Needs ~1 GB in /tmp
# and a quiet machine (timings on a shared one are noisy).
.PHONY: bench-datatask
bench-datatask: pardemo
	@$(NEED) mawk:mawk
	sh scripts/bench-datatask.sh ./pardemo

# ---- bench-wordcount: pardemo wordcount next to wc -w, sort | uniq -c,
# mawk and python3's Counter, on 256 MB of generated Zipf text and on
# hamlet.txt repeated to 256 MB (inputs kept in BENCH_DIR between runs).
BENCH_DIR ?= /tmp/pardemo-bench
WC_BYTES ?= 268435456

.PHONY: bench-wordcount
bench-wordcount: deps
	@$(NEED) /usr/bin/time:time mawk:mawk python3:python3
	$(MAKE) $(B)/pardemo $(B)/textgen
	sh scripts/bench-wordcount.sh $(WC_BYTES) $(BENCH_DIR) \
	    $(abspath $(B)/pardemo) $(abspath $(B)/textgen)

$(B)/textgen: LAYER_INC = $(INC_DATA)
$(B)/textgen: lib/data/textgen.c lib/core/cleanup.c $(B)/.flags
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -DTEXTGEN_MAIN -o $@ \
	    lib/data/textgen.c lib/core/cleanup.c $(ALL_LDLIBS)

# ---- bench-spark (issue 17): pardemo spark (CPython on the C engine)
# beside plain python3: word count of 50 MB (Counter), map/filter/reduce
# over range(3000000), and the start of `pardemo spark -c 'print(1)'`.
# Targets: 2 workers >= 1.8x one; one at least as fast as python3; start
# < 50 ms. Needs ../shared/data/hamlet.txt (PARDEMO_SHARED).
.PHONY: bench-spark
bench-spark: pardemo
	@$(NEED) /usr/bin/python3:python3 bc:bc
	PARDEMO_SHARED=$${PARDEMO_SHARED:-$(abspath ../shared)} \
	    sh scripts/bench-spark.sh ./pardemo

# ---- bench-distributed (issue 9): the RDD engine on MPI ----------------
# wordcount on 256 MB: 2 ranks x 1 thread against 1 rank x 2 threads
# (target: within 1.3x), and the bytes shuffled with and without the
# map-side combine. Inputs kept in BENCH_DIR like bench-wordcount's.
.PHONY: bench-distributed
bench-distributed: deps deps-mpi
	$(MAKE) $(B)/pardemo $(B)/textgen
	sh scripts/bench-distributed.sh $(WC_BYTES) $(BENCH_DIR) \
	    $(abspath $(B)/pardemo) $(abspath $(B)/textgen)
