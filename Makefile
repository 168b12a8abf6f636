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
        uninstall FORCE

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

install: pardemo
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 pardemo $(DESTDIR)$(PREFIX)/bin/pardemo

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/pardemo

clean:
	rm -rf build pardemo

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

$(B)/textgen: lib/textgen.c lib/cleanup.c $(B)/.flags
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -DTEXTGEN_MAIN -o $@ lib/textgen.c \
	    lib/cleanup.c $(ALL_LDLIBS)
