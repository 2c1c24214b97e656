# The path check's runner: the build appends one line per package on PATH (see
# path-programs.conf) and ships it gzipped and base64-encoded in lab.json (path.script.1…4).
#   run PACKAGE HOW COMMAND   HOW: 0 = must exit 0; any = any exit below 126; N = interactive for N s
#   help PACKAGE              the program named PACKAGE with --help (any exit below 126)
mkdir -p /tmp/path && cd /tmp/path || exit 1
# The root (and so /root) is read-only squashfs: programs that keep a history or cache in $HOME
# (nano's ~/.local/share/nano) get a writable one here.
export HOME=/tmp/path
echo 'a file to edit' > file.txt
n=0 failed=0 notrun=0
ERRORS="error while loading shared libraries|Error opening terminal|terminal is not fully functional|Terminal entry not found|missing or unsuitable terminal|Couldn't find user|not found|can't execute|unknown (user|group)|no such (user|group)|invalid (user|group)"
result() {
  n=$((n+1))
  if [ "$2" = ok ]; then echo "path: $1 ok${3:+ ($3)}"; else failed=$((failed+1)); echo "path: $1 FAILED ($3)"; fi
}
run() {
  echo "path: $1: TERM=xterm $3"
  if [ "$2" = 0 ] || [ "$2" = any ]; then
    TERM=xterm sh -c "$3" > out 2>&1 < /dev/null; rc=$?
    cat out
    err=$(grep -E -m 1 "$ERRORS" out)
    if [ -n "$err" ]; then result "$1" failed "$err"
    elif [ $rc = 0 ] || { [ "$2" = any ] && [ $rc -lt 126 ]; }; then result "$1" ok "exit $rc"
    else result "$1" failed "exit $rc"; fi
  else
    # Still running when timeout ends it (SIGTERM, as closing the window would) means it took
    # the terminal and waited for keys; what it exits with then is its own business (nano: 1).
    t0=$(date +%s)
    TERM=xterm timeout -s TERM "$2" sh -c "exec $3"; rc=$?
    t=$(( $(date +%s) - t0 ))
    stty sane 2>/dev/null
    echo
    if [ $t -ge $(( $2 - 1 )) ]; then result "$1" ok "had the terminal for $2 s, then ended (exit $rc)"
    elif [ $rc = 0 ]; then result "$1" ok "exited by itself after $t s"
    else result "$1" failed "exit $rc after $t s"; fi
  fi
}
help() {
  prog=$(command -v "$1") || { notrun=$((notrun+1)); echo "path: $1 not run: no program named $1 on PATH; say how to run it in path-programs.conf"; return; }
  run "$1" any "$prog --help"
}
