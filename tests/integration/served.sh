# Sourced by script tests that run against a separate `mcdlf serve`:
# serve_start DIR starts one on state directory DIR (log in DIR.log), waits
# for its endpoints.json, writes a url profile `served` to DIR.config and
# sets serve_pid and served=(--config DIR.config --profile served).
serve_start() {
  "${MCDLF_BIN:?}" serve --state "$1" >"$1.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 200); do [ -f "$1/endpoints.json" ] && break; sleep 0.05; done
  printf '[profile served]\nkind = url\nendpoints_file = %s\n' "$1/endpoints.json" > "$1.config"
  served=(--config "$1.config" --profile served)
}
