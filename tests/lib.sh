# SPDX-License-Identifier: GPL-2.0-or-later
# TAP helpers for ptwalk's shell tests. Sourced by tests/*.test, which
# `make check' runs with PTWALK, PTWALK_GEN, SRCDIR and BUILDDIR set.
set -u

: "${PTWALK:?run through make check}"
: "${PTWALK_GEN:?run through make check}"
: "${SRCDIR:?run through make check}"

test_name=$(basename "$0" .test)
WORK="${BUILDDIR:-.}/tests/work/$test_name"
rm -rf "$WORK"
mkdir -p "$WORK"
IMAGES="$SRCDIR/tests/images"
GOLDEN="$SRCDIR/tests/golden"

tap_n=0
tap_failed=0

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $*"
}

diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

# skip TAG DESCRIPTION: a part of the suite that cannot run here, said as
# a TAP skip. In CI (CI=true) every part must run, and a skip fails --
# unless the CI run leaves that part out by design and names its TAG in
# PTWALK_CI_LEAVES_OUT (space-separated), as .ci/run does.
skip() {
	local tag=$1
	shift
	if [ "${CI:-}" = true ]; then
		case " ${PTWALK_CI_LEAVES_OUT:-} " in
		*" $tag "*) ;;
		*) not_ok "$* (skipped; CI requires it: $tag)"; return ;;
		esac
	fi
	ok "# SKIP $*"
}

# check DESCRIPTION COMMAND...: ok when COMMAND succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# run_cmd COMMAND...: run, keeping stdout in $WORK/out, stderr in
# $WORK/err and the exit status in $rc.
run_cmd() {
	set +e
	"$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	set -e
}

# limited COMMAND...: bounded, 30 s and 1 GiB of address space (not
# with PTWALK_NO_ULIMIT: ASan builds reserve terabytes).
limited() {
	if [ -n "${PTWALK_NO_ULIMIT:-}" ]; then
		timeout 30 "$@"
	else
		(ulimit -v 1048576; exec timeout 30 "$@")
	fi
}

# expect_fail DESCRIPTION CODE REGEX COMMAND...: COMMAND exits with CODE
# and prints exactly one line on stderr matching REGEX.
expect_fail() {
	local desc=$1 code=$2 regex=$3
	shift 3
	run_cmd "$@"
	local lines
	lines=$(wc -l <"$WORK/err")
	if [ "$rc" -eq "$code" ] && [ "$lines" -eq 1 ] && grep -Eq -- "$regex" "$WORK/err"; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "exit $rc (want $code), $lines stderr lines, want /$regex/:" "$(head -5 "$WORK/err")"
	fi
}

# same_as_golden DESCRIPTION FILE GOLDEN: FILE equals the golden file.
# With PTWALK_GOLDEN_OUT=DIR, what differs is also kept there under the
# golden's name, to review with diff -u before anything replaces a golden.
same_as_golden() {
	if [ ! -f "$3" ]; then
		not_ok "$1 (no golden file $3)"
	elif diff -u "$3" "$2" >"$WORK/diff"; then
		ok "$1"
		return
	else
		not_ok "$1"
		diag "$(head -40 "$WORK/diff")"
	fi
	if [ -n "${PTWALK_GOLDEN_OUT:-}" ]; then
		mkdir -p "$PTWALK_GOLDEN_OUT"
		cp "$2" "$PTWALK_GOLDEN_OUT/$(basename "$3")"
	fi
}

# gen NAME [ARGS...]: images from tests/images/NAME.desc into $WORK.
gen() {
	local name=$1
	shift
	"$PTWALK_GEN" --elf "$WORK/$name.vmcore" --kdump "$WORK/$name.kdump" "$@" \
		"$IMAGES/$name.desc" >"$WORK/$name.roots"
}

# plan N: the test will run exactly N checks; said first, so that the
# TAP driver fails a test that ends early or runs a loop fewer times.
tap_planned=
plan() {
	tap_planned=$1
	echo "1..$1"
}

finish() {
	[ -n "$tap_planned" ] || echo "1..$tap_n"
	exit 0
}

set -e
