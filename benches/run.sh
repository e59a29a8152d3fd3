#!/usr/bin/env bash
# Build benchmark for cuenta (issue 8). See BENCHMARKS.md.
#
#   bash benches/run.sh
#
# Environment:
#   BENCH_SIZES="100 1000 10000"  section counts to generate
#   BENCH_RUNS=5                   runs per measurement (the median is quoted)
#   BENCH_SHIPPED_RUNS=20          runs for the shipped report (short, so more runs)
#   BENCH_DIR=target/bench         scratch directory (generated sites, raw results)
#   BENCH_OUT_DIR=/dev/shm/...     where builds write (default: a tmpfs under /dev/shm
#                                  when there is one with 4 GB free, else BENCH_DIR)
#   BENCH_RELOAD_SIZES="1000"      sizes (among BENCH_SIZES) whose `cuenta serve`
#                                  save-to-reload is measured (examples/reload.rs)
#   BENCH_RELOAD_EDITS=11          edits per save-to-reload measurement
#   BENCH_HUGO=1                   0 skips the Hugo comparison
#   BENCH_SHIPPED_ROOT=<repo>      report root for the "shipped report" row
#   BENCH_REPORT_ONLY=1            measure nothing: print the tables again from
#                                  $BENCH_DIR/runs.tsv of the last run
#
# Prints Markdown tables on stdout (progress goes to stderr) and keeps a copy in
# $BENCH_DIR/report.md plus every raw run in $BENCH_DIR/runs.tsv.
#
# Every figure is whole-process: wall time from bash's $EPOCHREALTIME around
# the command (so includes process start-up), user/sys CPU and peak RSS from
# GNU time (`/usr/bin/time -f "%e %U %S %M"`). CPU times have 10 ms resolution.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZES=${BENCH_SIZES:-"100 1000 10000"}
RUNS=${BENCH_RUNS:-5}
SHIPPED_RUNS=${BENCH_SHIPPED_RUNS:-20}
WORK=${BENCH_DIR:-$REPO/target/bench}
DO_HUGO=${BENCH_HUGO:-1}
SHIPPED_ROOT=${BENCH_SHIPPED_ROOT:-$REPO}
RELOAD_SIZES=${BENCH_RELOAD_SIZES:-1000}
RELOAD_EDITS=${BENCH_RELOAD_EDITS:-11}
TARGET_DIR=${CARGO_TARGET_DIR:-$REPO/target}
GNU_TIME=/usr/bin/time
export LC_NUMERIC=C

log() { printf '%s\n' "$*" >&2; }
die() { log "run.sh: $*"; exit 1; }

[[ -n ${EPOCHREALTIME:-} ]] || die "needs bash >= 5 (EPOCHREALTIME)"
if ! "$GNU_TIME" -f '%e %U %S %M' -o /dev/null true 2>/dev/null; then
    die "GNU time not found at $GNU_TIME: apt-get install -y time"
fi
HUGO_BIN=""
if [[ $DO_HUGO == 1 ]]; then
    if command -v hugo >/dev/null; then
        HUGO_BIN=$(command -v hugo)
    else
        log "hugo not found (apt-get install -y hugo): skipping the Hugo comparison"
    fi
fi

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
# Builds write to a tmpfs when there is one. On the VM this benchmark was
# written on, the disk is ext4 without a journal, whose inode allocator skips
# inodes freed in the last minutes one by one: creating a file after a run had
# deleted thousands cost 0.1-0.9 s of system time at 1,000 sections, varying
# between identical runs. Both cuenta and Hugo write to the same place.
if [[ -z ${BENCH_OUT_DIR:-} ]] && [[ -d /dev/shm && -w /dev/shm ]] \
    && (( $(df -Pk /dev/shm | awk 'NR == 2 { print $4 }') > 4 * 1024 * 1024 )); then
    BENCH_OUT_DIR=/dev/shm/cuenta-bench-$$
    trap 'rm -rf "$BENCH_OUT_DIR"' EXIT
fi
OUTS=${BENCH_OUT_DIR:-$WORK}
mkdir -p "$OUTS"
OUTS=$(cd "$OUTS" && pwd)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
RAW=$WORK/runs.tsv
REPORT=$WORK/report.md
SIZES_FILE=$WORK/sizes.tsv   # N, input KB, cuenta pages, Hugo pages
REPORT_ONLY=${BENCH_REPORT_ONLY:-0}
ENGINE_OK=1
if [[ $REPORT_ONLY == 1 ]]; then
    [[ -f $RAW && -f $SIZES_FILE ]] || die "no earlier run in $WORK"
    grep -qP '^build\t.*\t0$' "$RAW" || ENGINE_OK=0
else
printf 'what\tn\trun\twall_s\tuser_s\tsys_s\tmaxrss_kb\trc\n' >"$RAW"
: >"$SIZES_FILE"

# ---------------------------------------------------------------- build
log "== building (cargo build --release)"
CUENTA=$TARGET_DIR/release/cuenta
if ! (cd "$REPO" && cargo build --release --bin cuenta >&2); then
    ENGINE_OK=0
    log "!! cuenta does not build: its figures will read 'n/a'"
fi
SYNTH=$TARGET_DIR/release/examples/synth
RELOAD=$TARGET_DIR/release/examples/reload
(cd "$REPO" && cargo build --release --example reload >&2) || RELOAD=""
if ! (cd "$REPO" && cargo build --release --example synth >&2); then
    # The example links the library; when the engine does not compile, build
    # the generator on its own (it uses only std).
    SYNTH=$WORK/synth
    log "   building examples/synth.rs with rustc alone"
    rustc --edition 2021 -O "$REPO/examples/synth.rs" -o "$SYNTH" >&2 \
        || die "cannot build examples/synth.rs"
fi

fi  # REPORT_ONLY

# ---------------------------------------------------------------- helpers
# measure WHAT N RUN CMD... : time one run, append a row to $RAW.
# Sets LAST_RC. Output of the command goes to $WORK/last.log.
measure() {
    local what=$1 n=$2 run=$3; shift 3
    local tf=$WORK/time.out t0 t1 rc=0
    t0=$EPOCHREALTIME
    "$GNU_TIME" -f '%e %U %S %M' -o "$tf" "$@" >"$WORK/last.log" 2>&1 || rc=$?
    t1=$EPOCHREALTIME
    local e u s m
    read -r e u s m < <(grep -E '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$' "$tf" | tail -1 || echo "0 0 0 0")
    local wall
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$what" "$n" "$run" "$wall" "$u" "$s" "$m" "$rc" >>"$RAW"
    LAST_RC=$rc
    if [[ $rc != 0 ]]; then
        log "!! $what N=$n run $run exited $rc; last lines of its output:"
        tail -5 "$WORK/last.log" >&2
    fi
}

# med WHAT N FIELD -> median of a field over successful runs
#   FIELD: wall | cpu | rss | util | best (minimum wall) | ok (number of successful runs)
med() {
    awk -F'\t' -v w="$1" -v n="$2" -v f="$3" '
        $1 == w && $2 == n && $8 == 0 {
            k++
            if (f == "wall") v[k] = $4
            else if (f == "cpu") v[k] = $5 + $6
            else if (f == "rss") v[k] = $7
            else if (f == "util") v[k] = ($4 > 0 ? ($5 + $6) / $4 : 0)
            else if (f == "best") v[k] = $4
        }
        END {
            if (f == "ok") { print k + 0; exit }
            if (k == 0) { print "nan"; exit }
            for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
            if (f == "best") { print v[1]; exit }
            if (k % 2) m = v[(k + 1) / 2]; else m = (v[k / 2] + v[k / 2 + 1]) / 2
            print m
        }' "$RAW"
}

# Formatting: seconds -> "12.3 ms" / "1.23 s"; KB -> "45 MB"; ratio -> "0.42×".
fmt_t() { awk -v x="$1" 'BEGIN { if (x == "nan") print "n/a"; else if (x < 1) printf "%.1f ms", x * 1000; else printf "%.2f s", x }'; }
fmt_m() { awk -v x="$1" 'BEGIN { if (x == "nan") print "n/a"; else printf "%.0f MB", x / 1024 }'; }
fmt_r() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || b == 0) print "n/a"; else printf "%.2f×", a / b }'; }
fmt_u() { awk -v x="$1" 'BEGIN { if (x == "nan") print "n/a"; else printf "%.0f %%", x * 100 }'; }
fmt_per() { awk -v x="$1" -v n="$2" 'BEGIN { if (x == "nan") print "n/a"; else printf "%.2f ms", x * 1000 / n }'; }

# no_pages DIR: true (and the last raw row is marked rc=99) when DIR holds no
# HTML page, so a stub engine that exits 0 without output is not timed as a build.
no_pages() {
    [[ $(count_pages "$1") == 0 ]] || return 1
    sed -i '$ s/\t[0-9]*$/\t99/' "$RAW"
}
count_pages() { find "$1" -name '*.html' 2>/dev/null | wc -l | tr -d ' '; }
dir_kb() { du -sk "$1" 2>/dev/null | cut -f1; }

# Fresh state for a first build: the output and anything the engine left in
# the (generated, scratch) root besides content/ — e.g. .cuenta-cache.
clean_synth_root() {
    find "$1" -mindepth 1 -maxdepth 1 ! -name content -exec rm -rf {} +
}

declare -A PAGES CONTENT_KB HPAGES
# ---------------------------------------------------------------- synthetic sizes
if [[ $REPORT_ONLY == 0 ]]; then
for n in $SIZES; do
    root=$WORK/site-$n
    hroot=$WORK/hugo-$n
    out=$OUTS/out-$n
    hout=$OUTS/hugo-out-$n
    log "== N=$n: generating"
    rm -rf "$root" "$hroot"
    if [[ -n $HUGO_BIN ]]; then
        measure synth "$n" 1 "$SYNTH" --sections "$n" --out "$root" --hugo "$hroot"
    else
        measure synth "$n" 1 "$SYNTH" --sections "$n" --out "$root"
    fi
    [[ $LAST_RC == 0 ]] || die "generator failed"
    CONTENT_KB[$n]=$(dir_kb "$root/content")

    if [[ $ENGINE_OK == 1 ]]; then
        for ((r = 1; r <= RUNS; r++)); do
            log "   cuenta build N=$n run $r/$RUNS (first build, then rebuild)"
            # No cache may survive into a first build: it lives beside the output.
            rm -rf "$out" "$OUTS/.out-$n.cuenta-cache"; clean_synth_root "$root"; sync
            measure build "$n" "$r" "$CUENTA" build --root "$root" --output "$out"
            if [[ $LAST_RC == 0 ]] && no_pages "$out"; then
                log "!! cuenta exited 0 but wrote no HTML page: run not counted"
            elif [[ $LAST_RC == 0 ]]; then
                PAGES[$n]=$(count_pages "$out")
                measure rebuild "$n" "$r" "$CUENTA" build --root "$root" --output "$out"
            fi
        done
    fi

    if [[ $ENGINE_OK == 1 && -n $RELOAD && " $RELOAD_SIZES " == *" $n "* ]]; then
        log "   cuenta serve N=$n: save-to-reload, $RELOAD_EDITS edits"
        if "$RELOAD" --root "$root" --edits "$RELOAD_EDITS" --cuenta "$CUENTA" >"$WORK/reload.log" 2>&1; then
            sed -n 's/^edit \([0-9]*\): \([0-9]*\) ms$/\1 \2/p' "$WORK/reload.log" | while read -r i ms; do
                printf 'reload\t%s\t%s\t%s\t0\t0\t0\t0\n' "$n" "$i" "$(awk -v m="$ms" 'BEGIN { printf "%.4f", m / 1000 }')" >>"$RAW"
            done
        else
            log "!! save-to-reload at N=$n failed:"; tail -3 "$WORK/reload.log" >&2
        fi
    fi

    if [[ -n $HUGO_BIN ]]; then
        for ((r = 1; r <= RUNS; r++)); do
            log "   hugo N=$n run $r/$RUNS"
            rm -rf "$hout" "$hroot/resources" "$hroot/.hugo_build.lock"; sync
            measure hugo "$n" "$r" "$HUGO_BIN" --quiet -s "$hroot" -d "$hout"
            [[ $LAST_RC == 0 ]] && HPAGES[$n]=$(count_pages "$hout")
        done
    fi
    # Keep the disk small: the 10,000 sites are ~40 MB of input each.
    rm -rf "$hout"
    printf '%s\t%s\t%s\t%s\n' "$n" "${CONTENT_KB[$n]}" "${PAGES[$n]:-n/a}" "${HPAGES[$n]:-n/a}" >>"$SIZES_FILE"
done

# ---------------------------------------------------------------- shipped report
SHIPPED_OUT=$OUTS/shipped-out
if [[ $ENGINE_OK == 1 && -d $SHIPPED_ROOT/content ]]; then
    for ((r = 1; r <= SHIPPED_RUNS; r++)); do
        log "   shipped report run $r/$SHIPPED_RUNS"
        # The engine's cache is a cache: removing it gives a first build.
        rm -rf "$SHIPPED_OUT" "$(dirname "$SHIPPED_OUT")/.$(basename "$SHIPPED_OUT").cuenta-cache"
        measure shipped 0 "$r" "$CUENTA" build --root "$SHIPPED_ROOT" --output "$SHIPPED_OUT"
        if [[ $LAST_RC == 0 ]] && no_pages "$SHIPPED_OUT"; then
            log "!! cuenta exited 0 but wrote no HTML page: run not counted"
        elif [[ $LAST_RC == 0 ]]; then
            PAGES[shipped]=$(count_pages "$SHIPPED_OUT")
            measure shipped-rebuild 0 "$r" "$CUENTA" build --root "$SHIPPED_ROOT" --output "$SHIPPED_OUT"
        fi
    done
fi
printf 'shipped\t0\t%s\tn/a\n' "${PAGES[shipped]:-n/a}" >>"$SIZES_FILE"
fi  # REPORT_ONLY
while IFS=$'\t' read -r n kb p hp; do
    CONTENT_KB[$n]=$kb; PAGES[$n]=$p; HPAGES[$n]=$hp
done <"$SIZES_FILE"

# ---------------------------------------------------------------- report
{
    echo "<!-- bash benches/run.sh, $(date -u +%Y-%m-%dT%H:%MZ), $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?'), sizes: $SIZES, runs: $RUNS -->"
    echo
    echo "Builds wrote to: $( [[ $OUTS == /dev/shm/* ]] && echo "a tmpfs (/dev/shm)" || echo "$OUTS" )."
    echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.1f GB RAM", $2 / 1048576 }' /proc/meminfo)."
    [[ -n $HUGO_BIN ]] && echo "Hugo: $("$HUGO_BIN" version | awk '{ print $2 }')."
    [[ $REPORT_ONLY == 1 ]] || echo "Load average (1, 5, 15 min) at start: $LOAD_START; at end: $(cut -d' ' -f1-3 /proc/loadavg)."
    if [[ $REPORT_ONLY == 0 ]] && awk -v l="$(cut -d' ' -f2 /proc/loadavg)" -v c="$(nproc)" 'BEGIN { exit !(l > c) }'; then
        echo "**The machine was busy (load above $(nproc)): wall times are inflated, compare CPU times.**"
    fi
    echo
    echo "### cuenta build (median of $RUNS runs, whole process)"
    echo
    echo "| N sections | input | pages out | build wall | best wall | build CPU (user+sys) | CPU util | peak RSS | CPU per section | rebuild wall | rebuild CPU | rebuild peak RSS | rebuild / build (CPU) |"
    echo "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
    for n in $SIZES; do
        bw=$(med build "$n" wall); rw=$(med rebuild "$n" wall); bc=$(med build "$n" cpu); rc=$(med rebuild "$n" cpu)
        echo "| $n | $(awk -v k="${CONTENT_KB[$n]}" 'BEGIN { printf "%.1f MB", k / 1024 }') | ${PAGES[$n]:-n/a} | $(fmt_t "$bw") | $(fmt_t "$(med build "$n" best)") | $(fmt_t "$bc") | $(fmt_u "$(med build "$n" util)") | $(fmt_m "$(med build "$n" rss)") | $(fmt_per "$bc" "$n") | $(fmt_t "$rw") | $(fmt_t "$rc") | $(fmt_m "$(med rebuild "$n" rss)") | $(fmt_r "$rc" "$bc") |"
    done
    echo
    echo "### Shipped report (\`cuenta build --root $( [[ $SHIPPED_ROOT == "$REPO" ]] && echo . || echo "$SHIPPED_ROOT")\`, median of $SHIPPED_RUNS runs)"
    echo
    echo "| pages out | build wall | best wall | build CPU | CPU util | peak RSS | rebuild wall | rebuild CPU | rebuild peak RSS |"
    echo "|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
    echo "| ${PAGES[shipped]:-n/a} | $(fmt_t "$(med shipped 0 wall)") | $(fmt_t "$(med shipped 0 best)") | $(fmt_t "$(med shipped 0 cpu)") | $(fmt_u "$(med shipped 0 util)") | $(fmt_m "$(med shipped 0 rss)") | $(fmt_t "$(med shipped-rebuild 0 wall)") | $(fmt_t "$(med shipped-rebuild 0 cpu)") | $(fmt_m "$(med shipped-rebuild 0 rss)") |"
    if [[ -n $HUGO_BIN ]]; then
        echo
        echo "### cuenta (tables + charts) vs Hugo (same prose + pipe tables, no charts), median of $RUNS runs"
        echo
        echo "| N sections | cuenta wall | Hugo wall | Hugo CPU (user+sys) | Hugo CPU util | Hugo peak RSS | Hugo pages | cuenta / Hugo (wall) | cuenta / Hugo (CPU) |"
        echo "|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
        for n in $SIZES; do
            echo "| $n | $(fmt_t "$(med build "$n" wall)") | $(fmt_t "$(med hugo "$n" wall)") | $(fmt_t "$(med hugo "$n" cpu)") | $(fmt_u "$(med hugo "$n" util)") | $(fmt_m "$(med hugo "$n" rss)") | ${HPAGES[$n]:-n/a} | $(fmt_r "$(med build "$n" wall)" "$(med hugo "$n" wall)") | $(fmt_r "$(med build "$n" cpu)" "$(med hugo "$n" cpu)") |"
        done
    fi
    has_reload=0
    for n in $SIZES; do [[ $(med reload "$n" ok) -gt 0 ]] && has_reload=1; done
    if [[ $has_reload == 1 ]]; then
        echo
        echo "### cuenta serve: save-to-reload (examples/reload.rs, each edit timed from the write to the reload answer)"
        echo
        echo "| N sections | edits | median | best |"
        echo "|--:|--:|--:|--:|"
        for n in $SIZES; do
            [[ $(med reload "$n" ok) -gt 0 ]] || continue
            echo "| $n | $(med reload "$n" ok) | $(fmt_t "$(med reload "$n" wall)") | $(fmt_t "$(med reload "$n" best)") |"
        done
    fi
    echo
    echo "### Generator (examples/synth.rs, one run, cuenta and Hugo trees together)"
    echo
    echo "| N sections | wall | wall per section | peak RSS |"
    echo "|--:|--:|--:|--:|"
    for n in $SIZES; do
        gw=$(med synth "$n" wall)
        echo "| $n | $(fmt_t "$gw") | $(fmt_per "$gw" "$n") | $(fmt_m "$(med synth "$n" rss)") |"
    done

    # Targets (BENCHMARKS.md). Only sizes that were run are checked.
    echo
    echo "### Targets"
    echo
    check() { # check LABEL VALUE OP LIMIT
        local verdict
        verdict=$(awk -v v="$2" -v op="$3" -v l="$4" 'BEGIN {
            if (v == "nan" || v == "") { print "not measured"; exit }
            ok = (op == "<" ? v < l : v <= l); print (ok ? "met" : "**missed**") }')
        echo "- $1: $verdict"
    }
    check "shipped report < 30 ms ($(fmt_t "$(med shipped 0 wall)"))" "$(med shipped 0 wall)" "<" 0.030
    for n in $SIZES; do
        bw=$(med build "$n" wall); rw=$(med rebuild "$n" wall)
        case $n in
            1000)
                check "1,000 sections < 1 s ($(fmt_t "$bw"))" "$bw" "<" 1
                [[ $(med reload "$n" ok) -gt 0 ]] && check "save-to-reload on 1,000 sections < 100 ms (median $(fmt_t "$(med reload "$n" wall)"))" "$(med reload "$n" wall)" "<" 0.1 ;;
            10000)
                check "10,000 sections < 10 s ($(fmt_t "$bw"))" "$bw" "<" 10
                check "10,000 sections peak RSS < 1 GB ($(fmt_m "$(med build "$n" rss)"))" "$(med build "$n" rss)" "<" 1048576 ;;
        esac
        rr=$(awk -v a="$rw" -v b="$bw" 'BEGIN { if (a == "nan" || b == "nan" || b == 0) print "nan"; else print a / b }')
        check "N=$n rebuild ≤ half the first build (wall $(fmt_r "$rw" "$bw"), CPU $(fmt_r "$(med rebuild "$n" cpu)" "$(med build "$n" cpu)"))" "$rr" "<=" 0.5
        if [[ -n $HUGO_BIN ]]; then
            hr=$(awk -v a="$bw" -v b="$(med hugo "$n" wall)" 'BEGIN { if (a == "nan" || b == "nan" || b == 0) print "nan"; else print a / b }')
            check "N=$n cuenta at most as slow as Hugo ($(fmt_r "$bw" "$(med hugo "$n" wall)"))" "$hr" "<=" 1
        fi
    done
    # Linearity: CPU per section at the largest N over the smallest N (CPU
    # time, not wall, so a busy machine does not fake a superlinear curve;
    # start-up cost makes small N look dearer per section, so ≤ 1.5 passes).
    first=""; last=""
    for n in $SIZES; do [[ -z $first ]] && first=$n; last=$n; done
    if [[ $first != "$last" ]]; then
        lin=$(awk -v a="$(med build "$last" cpu)" -v na="$last" -v b="$(med build "$first" cpu)" -v nb="$first" \
            'BEGIN { if (a == "nan" || b == "nan") print "nan"; else print (a / na) / (b / nb) }')
        check "time linear in N: per-section CPU at N=$last / at N=$first = $(awk -v x="$lin" 'BEGIN { if (x == "nan") print "n/a"; else printf "%.2f", x }') (≤ 1.5)" "$lin" "<=" 1.5
    fi
    [[ $ENGINE_OK == 1 ]] || echo "- cuenta did not compile in this checkout: its figures are n/a."
} | tee "$REPORT"
log "raw runs: $RAW; report: $REPORT"
