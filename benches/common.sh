# Helpers shared by benches/suite.sh and benches/scale.sh (sourced, not run).

# The median of the numbers on standard input, one a line.
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# The wall seconds a command takes, its output discarded.
secs() { local s; s=$(date +%s.%N); "$@" > /dev/null 2>&1; echo "$(date +%s.%N) - $s" | bc; }
# Bytes as MB, two decimals.
mb() { echo "scale=2; $1 / 1000000" | bc; }

# git_init DIR: a new, empty git repository at DIR.
git_init() { rm -rf "$1" && mkdir "$1" && git -C "$1" init -q; }

# git_scrape CORPUS DIR [GIT OPTION...]: "git scraping" of a benches/corpus.py corpus into the
# repository at DIR: each day's pages copied in, added and committed (with the options, e.g.
# `-c gc.auto=0`), then `git gc`.
git_scrape() {
  local corpus=$1 dir=$2 day site
  shift 2
  for day in $(cd "$corpus/site00" && ls | sed -n 's/^day\([0-9]*\).txt$/\1/p'); do
    for site in "$corpus"/*; do
      mkdir -p "$dir/$(basename "$site")"
      cp "$site"/*"$day".txt "$dir/$(basename "$site")/" 2>/dev/null || true
    done
    git -C "$dir" add -A && git -C "$dir" -c user.name=b -c user.email=b@b "$@" commit -qm "day $day"
  done
  git -C "$dir" gc -q
}
