# Shared by bench/scan and bench/sql (sourced; expects $src and $build).

# Builds a bench target (Release) and makes sure @duckdb/node-api is installed.
bench_prepare() {
    cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    make -C "$build" -j"$(nproc)" --no-print-directory "$@" >/dev/null
    if [ ! -d "$src/tests/conformance/node_modules/@duckdb/node-bindings-linux-x64" ]; then
        echo "bench: installing the npm clients of tests/conformance (npm ci)" >&2
        (cd "$src/tests/conformance" && npm ci --no-audit --no-fund --loglevel=error)
    fi
}

# The value of a `name value` line of a file.
field() {
    sed -n "s/^$1 //p" "$2"
}

# The median of a file of numbers, one a line.
median() {
    sort -g "$1" | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# peer time / mcdlf time: mcdlf's speed as a fraction of the peer's.
ratio() {
    awk -v p="$1" -v m="$2" 'BEGIN { printf "%.2f", (m > 0 ? p / m : 0) }'
}

# Stops the run when two sides computed different aggregates.
same_result() {
    if [ "$1" != "$2" ]; then
        echo "bench: $3 computed $2, mcdlf $1" >&2
        exit 1
    fi
}

# Wall-clock seconds of a command (whole process), stdout to $1.
wall() {
    local out=$1 t0 t1
    shift
    t0=$(date +%s%N)
    "$@" >"$out"
    t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }'
}
