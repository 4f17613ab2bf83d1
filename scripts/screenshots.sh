#!/usr/bin/env bash
# Regenerates docs/screenshots/ on a virtual display: the connect dialog, a conversation of
# three people seen in English and in Simplified Chinese, and the server's admin window. Needs a screenshot tool with
# the interface of the workplace's screenshot.sh (SCREENSHOT_TOOL, default
# ../shared/tools/screenshot.sh) and a build (./scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
tool=${SCREENSHOT_TOOL:-../shared/tools/screenshot.sh}
build=${GROUPCHAT_BUILD_DIR:-build}
out=docs/screenshots
mkdir -p "$out"
config=$(mktemp -d)
# The servers keep their history databases there too, not in the user's.
export XDG_DATA_HOME=$config/data
server_pid=""
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  [ ! -S "$config/tmux" ] || tmux -S "$config/tmux" kill-server 2>/dev/null || true
  rm -rf "$config"
}
trap cleanup EXIT

start_server() { # PORT [OPTION...]; no IRC port unless asked for (6667 may be another server's)
  local port=$1
  shift
  [ $# -gt 0 ] || set -- --irc-port 0
  "$build/src/server/groupchat-server" --headless --bind 127.0.0.1 --port "$port" "$@" --name "team chat" >/dev/null 2>&1 &
  server_pid=$!
  sleep 0.5
}

# The dialog a user sees first.
XDG_CONFIG_HOME=$config/en USER=alice "$tool" -w 2 -c "$out/connect-dialog.png" -- "$build/src/client/groupchat-client"

# The same conversation through alice's window (English) and 张伟's (Simplified Chinese).
start_server 16702
python3 scripts/demo_chat.py 16702 alice 14 &
sleep 2
XDG_CONFIG_HOME=$config/en "$tool" -w 2 -c \
  -a 'sleep 3.5; xdotool mousemove 300 555; xdotool type --delay 30 "sure, after lunch. 12:30 works for me"; xdotool key Return; sleep 0.5; xdotool mousemove 800 300' \
  "$out/conversation.png" -- "$build/src/client/groupchat-client" --host 127.0.0.1 --port 16702 --nick alice
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true

# The same kind of conversation in the dark theme (Preferences), with the find bar open (Ctrl+F)
# under it.
start_server 16707
python3 scripts/demo_chat.py 16707 alice 14 &
sleep 2
mkdir -p "$config/dark/groupchat"
printf '[preferences]\ntheme=dark\nclock=24\n' >"$config/dark/groupchat/groupchat-client.conf"
XDG_CONFIG_HOME=$config/dark "$tool" -w 2 -c \
  -a 'sleep 3.5; xdotool mousemove 300 300 click 1; xdotool key ctrl+f; sleep 0.3; xdotool type --delay 30 "lunch"; xdotool key Return' \
  "$out/dark-theme-find.png" -- "$build/src/client/groupchat-client" --host 127.0.0.1 --port 16707 --nick alice
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true

# Search History (Edit › Search History…, through the menu: no window manager passes shortcuts).
start_server 16708
python3 scripts/demo_chat.py 16708 alice 20 &
sleep 2
XDG_CONFIG_HOME=$config/search "$tool" -w 2 \
  -a 'sleep 4; xdotool mousemove 64 8 click 1; sleep 0.4; xdotool key Down Down Down Down Return; sleep 0.8; xdotool mousemove 396 106 click 1; sleep 0.2; xdotool type --delay 40 "the"; xdotool key Return; sleep 1' \
  "$out/search-results.png" -- "$build/src/client/groupchat-client" --host 127.0.0.1 --port 16708 --nick alice
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true

start_server 16703
python3 scripts/demo_chat.py 16703 张伟 12 &
sleep 2
XDG_CONFIG_HOME=$config/zh LANG=zh_CN.UTF-8 "$tool" -w 5 -c \
  "$out/conversation-zh_CN.png" -- "$build/src/client/groupchat-client" --host 127.0.0.1 --port 16703 --nick 张伟
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
server_pid=""

# An IRC client in the same room: WeeChat (curses, in a tmux terminal; weechat-curses) as dana
# in #general while alice's desktop client is in it too. The terminal is kept as text
# (weechat-general.txt), the window as irc-desktop.png. Skipped without weechat and tmux.
if command -v weechat >/dev/null && command -v tmux >/dev/null; then
  start_server 16705 --irc-port 16706
  wee=$config/weechat
  mkdir -p "$wee"
  # No pause between lines sent (WeeChat waits 2 s against flood limits by default).
  LANG=C.UTF-8 tmux -u -S "$config/tmux" -f /dev/null new-session -d -x 100 -y 24 \
    "LANG=C.UTF-8 weechat -d $wee -r '/set irc.server_default.anti_flood_prio_high 0; /server add gc 127.0.0.1/16706 -notls -nicks=dana -username=dana; /connect gc'"
  sleep 2
  python3 scripts/demo_chat.py 16705 alice 16 &
  sleep 2
  # Typed by alice in her window, said by dana through WeeChat's FIFO, then the terminal read.
  cat > "$config/irc-scene.sh" <<SCENE
sleep 3.5
fifo=\$(ls $wee/weechat_fifo_*)
xdotool mousemove 300 555; xdotool type --delay 30 "dana, does #general look the same in WeeChat?"; xdotool key Return
sleep 1
echo 'irc.gc.#general *same room, same lines: IRC, nc and the desktop client' > "\$fifo"
sleep 0.5
echo 'irc.gc.#general */me waves from WeeChat' > "\$fifo"
sleep 1
xdotool mousemove 800 300
tmux -S "$config/tmux" capture-pane -p > "$out/weechat-general.txt"
SCENE
  XDG_CONFIG_HOME=$config/irc "$tool" -w 1 -c -a "bash $config/irc-scene.sh" \
    "$out/irc-desktop.png" -- "$build/src/client/groupchat-client" --host 127.0.0.1 --port 16705 --nick alice
  tmux -S "$config/tmux" kill-server
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  server_pid=""
fi

# Sending while the server is away: a private message refused (carol is not online) with its
# reason, Retry and Delete; then the server stops and the next message waits, pending.
start_server 16709
python3 scripts/demo_chat.py 16709 alice 10 &
sleep 2
echo "$server_pid" > "$config/server.pid"
XDG_CONFIG_HOME=$config/pending "$tool" -w 2 -c \
  -a "sleep 4; xdotool mousemove 300 555 click 1; xdotool type --delay 20 'sure, see you at 12:30'; xdotool key Return; sleep 0.5; xdotool type --delay 20 '/msg carol are you coming to the review?'; xdotool key Return; sleep 1; xdotool mousemove 35 81 click 1; sleep 0.5; xdotool mousemove 300 555 click 1; kill \$(cat $config/server.pid); sleep 1.5; xdotool type --delay 20 'I will send you the notes afterwards'; xdotool key Return; sleep 0.5; xdotool mousemove 1010 690" \
  "$out/client-pending.png" -- "$build/src/client/groupchat-client" --host 127.0.0.1 --port 16709 --nick alice
wait "$server_pid" 2>/dev/null || true
server_pid=""

# The admin window with a few clients connected.
XDG_CONFIG_HOME=$config/server "$tool" -s 1100x720 -w 4 -c -a 'python3 scripts/demo_room.py 16704 15 & sleep 1' \
  "$out/admin-window.png" -- "$build/src/server/groupchat-server" --port 16704 --name "team chat"
echo "screenshots in $out"
