# faqtory — plain make, dependencies through pkg-config.
#
#   make          build ./faqtory (development flags, warnings are errors)
#   make demo     build, then run the main job on the bundled sample
#   make test     the whole suite, once with the plain build and the
#                 unit/e2e parts again under ASan+UBSan
#   make bench    benchmarks against the peers (by hand, never timed tests)
#   make fuzz     each libFuzzer target for a bounded time
#   make deps     install the Debian packages the project needs
#   make install  PREFIX (default /usr/local), staged under DESTDIR;
#                 make uninstall removes what it installed
#   make deb      the Debian package into build/deb/, lintian's output beside

PKGS     = sqlite3 libxml-2.0 libcmark libarchive jansson zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
EXTRA_LIBS = -lstemmer -lpthread -lm

VERSION  = 0.1
PREFIX  ?= /usr/local
BINDIR   = $(PREFIX)/bin
DATADIR  = $(PREFIX)/share/faqtory
MANDIR   = $(PREFIX)/share/man
COMPDIR  = $(PREFIX)/share/bash-completion/completions
INSTALL ?= install

CC      ?= cc
WARN     = -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
           -Wwrite-strings -Wshadow -Wno-unused-parameter
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
           $(WARN) $(CPPFLAGS) $(CFLAGS) -I. $(PKG_CFLAGS)
SAN      = -fsanitize=address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=undefined

B        = build
LIB_SRC := $(sort $(wildcard core/*.c ingest/*.c index/*.c render/*.c))
UNIT_SRC:= $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC:= $(sort $(wildcard fuzz/fuzz_*.c))

.SECONDARY:
.PHONY: all demo test check unit asan bench fuzz deps clean valgrind eval \
        install uninstall deb FORCE

all: faqtory

# The version and the install's data folder are compiled in (render/
# datadir.c looks beside the binary first); datadir.o is rebuilt when
# PREFIX changes, through a stamp rewritten only when its text differs.
$(B)/faqtory.o $(BA)/faqtory.o: ALL_CFLAGS += -DFAQTORY_VERSION='"$(VERSION)"'
$(B)/render/datadir.o $(BA)/render/datadir.o: \
    ALL_CFLAGS += -DFAQTORY_DATADIR_DEFAULT='"$(DATADIR)"'
$(B)/render/datadir.o $(BA)/render/datadir.o: $(B)/datadir.stamp
$(B)/datadir.stamp: FORCE
	@mkdir -p $(B)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' >$@

$(B)/%.o: %.c $(wildcard */*.h) Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/libfaqtory.a: $(LIB_SRC:%.c=$(B)/%.o)
	@rm -f $@
	@ar rcs $@ $^

faqtory: $(B)/faqtory.o $(B)/libfaqtory.a
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(EXTRA_LIBS)

$(B)/tests/%: $(B)/tests/unit/%.o $(B)/tests/unit/harness.o $(B)/libfaqtory.a
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(EXTRA_LIBS)

# The sanitizer build lives in its own tree so both can coexist.
BA = build-asan
$(BA)/%.o: %.c $(wildcard */*.h) Makefile
	@mkdir -p $(dir $@)
	@echo "  CC asan $<"
	@$(CC) $(ALL_CFLAGS) -O1 $(SAN) -c $< -o $@

$(BA)/libfaqtory.a: $(LIB_SRC:%.c=$(BA)/%.o)
	@rm -f $@
	@ar rcs $@ $^

$(BA)/faqtory: $(BA)/faqtory.o $(BA)/libfaqtory.a
	@echo "  LD asan $@"
	@$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS) $(EXTRA_LIBS)

$(BA)/tests/%: $(BA)/tests/unit/%.o $(BA)/tests/unit/harness.o $(BA)/libfaqtory.a
	@echo "  LD asan $@"
	@$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS) $(EXTRA_LIBS)

# Fuzz targets replayed over their seeds (no libFuzzer) in `make test`.
$(BA)/replay/%: $(BA)/fuzz/%.o $(BA)/fuzz/replay.o $(BA)/libfaqtory.a
	@mkdir -p $(dir $@)
	@echo "  LD asan $@"
	@$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS) $(EXTRA_LIBS)
REPLAYS    = $(FUZZ_SRC:fuzz/%.c=$(BA)/replay/%)

UNITS      = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
UNITS_ASAN = $(UNIT_SRC:tests/unit/%.c=$(BA)/tests/%)

unit: $(UNITS) faqtory
asan: $(UNITS_ASAN) $(BA)/faqtory

# One runner prints the closing "N passed, N failed" line.
# On a fresh machine the two commands first install what is missing.
test:
	@sh scripts/deps.sh
	@$(MAKE) --no-print-directory faqtory $(UNITS) $(UNITS_ASAN) $(BA)/faqtory \
	    $(REPLAYS)
	@tests/run.sh

check: test

# The rules the code keeps (scripts/lint.py, docs/architecture.md).
.PHONY: lint
lint:
	@python3 scripts/lint.py

demo:
	@sh scripts/deps.sh
	@$(MAKE) --no-print-directory faqtory
	@sh examples/demo.sh

bench: faqtory
	@bench/run.sh

eval: faqtory
	@bench/eval.sh

valgrind: faqtory $(UNITS)
	@VALGRIND=1 tests/run.sh

# libFuzzer needs clang; each target runs FUZZ_SECONDS.
FUZZ_SECONDS ?= 30
BF = build-fuzz
FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer -g -O1
$(BF)/%.o: %.c $(wildcard */*.h) Makefile
	@mkdir -p $(dir $@)
	clang $(ALL_CFLAGS) -Wno-unknown-warning-option $(FUZZ_FLAGS) -c $< -o $@

$(BF)/%: $(BF)/fuzz/%.o $(LIB_SRC:%.c=$(BF)/%.o)
	clang $(FUZZ_FLAGS) -o $@ $^ $(PKG_LIBS) $(EXTRA_LIBS)

# One run per target, so `make -j2 fuzz` runs two targets at a time
# (each libFuzzer process uses one core); without -j they run one after
# the other and the first finding stops the rest.
fuzz: $(FUZZ_SRC:fuzz/%.c=fuzz-run-%)

fuzz-run-%: $(BF)/%
	@n=$*; mkdir -p $(BF)/corpus/$$n; \
	  echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
	  $< -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -artifact_prefix=$(BF)/ \
	      $(BF)/corpus/$$n fuzz/seeds/$$n 2>$(BF)/$$n.log || \
	      { tail -40 $(BF)/$$n.log; exit 1; }; \
	  echo "$$n: $$(grep -E '^(#[0-9]+.*DONE|Done)' $(BF)/$$n.log | tail -1)"

deps:
	@sh scripts/deps.sh

# The binary, the default theme with its locales (share/faqtory/, found
# relative to the binary at run time, so a staged or moved tree works),
# the man pages and the bash completion.
THEME_FILES := $(shell find site-template -type f ! -name '.*' | LC_ALL=C sort)

install: faqtory
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(COMPDIR)
	$(INSTALL) -m 755 faqtory $(DESTDIR)$(BINDIR)/faqtory
	@for f in $(THEME_FILES); do \
	    $(INSTALL) -D -m 644 $$f $(DESTDIR)$(DATADIR)/$$f || exit 1; done
	$(INSTALL) -m 644 man/faqtory.1 $(DESTDIR)$(MANDIR)/man1/faqtory.1
	$(INSTALL) -m 644 man/faqtory.ini.5 $(DESTDIR)$(MANDIR)/man5/faqtory.ini.5
	$(INSTALL) -m 644 completion/faqtory.bash $(DESTDIR)$(COMPDIR)/faqtory

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/faqtory $(DESTDIR)$(COMPDIR)/faqtory \
	    $(DESTDIR)$(MANDIR)/man1/faqtory.1 $(DESTDIR)$(MANDIR)/man5/faqtory.ini.5
	rm -rf $(DESTDIR)$(DATADIR)

# dpkg-buildpackage on a copy outside the tree (nothing lands in git).
DEB_DIR ?= build/deb
deb:
	@sh scripts/deb.sh $(DEB_DIR)

clean:
	rm -rf $(B) $(BA) $(BF) faqtory
