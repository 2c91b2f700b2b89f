#!/usr/bin/env bash
# tests/package/run.sh [INTERP...]: the library as users and packagers
# install it. For each interpreter (default: lua5.1 lua5.4 luajit, those
# present) `luarocks make` into a fresh tree (lua5.1 and lua5.4 share one,
# as a user's tree does), then from a folder outside the clone, with only
# that tree on the paths, tests/package/check.lua: require, connect, a
# verified TLS handshake to a local `openssl s_server`. Then the same from
# a binary rock (`luarocks pack` of an installed tree), from the release's
# source rock (`make dist`), and from `make install DESTDIR=...`; the
# rockspecs pass `luarocks lint`; the Makefile takes the usual variables.
#
# Starts one s_server on 127.0.0.1 (a port of its own choosing), stopped by
# its PID. Prints ok/not ok lines and "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
cd "$root" || exit 1
interps=${*:-lua5.1 lua5.4 luajit}
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=t/lib/harness.sh
. "$root/t/lib/harness.sh"

make_prefix package
work=$dir

# run NAME CMD...: one test line; the command's output shown on failure
run() {
  name=$1
  shift
  if "$@" >"$work/last.log" 2>&1; then
    ok "package: $name"
  else
    not_ok "package: $name"
    tail -n 25 "$work/last.log" | sed 's/^/#   /'
  fi
}

# ---- a TLS server with a certificate for localhost -------------------------

if ! openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -keyout "$work/key.pem" \
  -out "$work/cert.pem" >"$work/req.log" 2>&1; then
  not_ok "package: a certificate for the TLS server"
  show "$work/req.log"
  finish
fi
openssl s_server -accept 127.0.0.1:0 -cert "$work/cert.pem" \
  -key "$work/key.pem" -www </dev/null >"$work/s_server.out" 2>&1 &
pids="$pids $!"
s_server_port() { sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/s_server.out"; }
has_s_server_port() { [ -n "$(s_server_port)" ]; }
if ! wait_for 10 has_s_server_port; then
  not_ok "package: openssl s_server started"
  show "$work/s_server.out"
  finish
fi
tls_port=$(s_server_port)

# ---- helpers ----------------------------------------------------------------

# rocks INTERP CMD ARGS...: luarocks CMD for INTERP (LuaJIT: luarocks'
# Lua 5.1 with LuaJIT's interpreter and headers, given to make and install)
rocks() {
  interp=$1
  cmd=$2
  shift 2
  case $interp in
    luajit)
      set -- "$@" "LUA=$(command -v luajit)" \
        "LUA_INCDIR=$(pkg-config --variable=includedir luajit)"
      [ "$cmd" = make ] || [ "$cmd" = install ] || shift 2
      luarocks --lua-version=5.1 "$cmd" "$@" ;;
    *) luarocks --lua-version="${interp#lua}" "$cmd" "$@" ;;
  esac
}

# wanted INTERP: INTERP is one of those asked for, and present
wanted() {
  case " $interps " in *" $1 "*) command -v "$1" >/dev/null 2>&1 ;; *) false ;; esac
}

version_of() {
  case $1 in
    luajit) echo 5.1 ;;
    *) echo "${1#lua}" ;;
  esac
}

# use INTERP PREFIX: check.lua run by INTERP from outside the clone, with
# only PREFIX's folders on its paths
use() {
  v=$(version_of "$1")
  (cd "$work" && \
    LUA_PATH="$2/share/lua/$v/?.lua;$2/share/lua/$v/?/init.lua" \
    LUA_CPATH="$2/lib/lua/$v/?.so" \
    "$1" "$root/tests/package/check.lua" "$tls_port" "$work/cert.pem" "$2")
}

make_into() { # make_into INTERP TREE: luarocks make of the scm rockspec
  rocks "$1" make --tree "$2" lua-resty-luasocket-scm-1.rockspec
}

# ---- the rockspecs ----------------------------------------------------------

for spec in lua-resty-luasocket-*.rockspec; do
  run "luarocks lint $spec" luarocks lint "$spec"
done

# ---- luarocks make, one tree for lua5.1 and lua5.4, one for LuaJIT ---------

for interp in $interps; do
  wanted "$interp" || continue
  case $interp in luajit) tree=$work/tree-luajit ;; *) tree=$work/tree ;; esac
  run "luarocks make for $interp (into ${tree#"$work"/})" make_into "$interp" "$tree"
  run "$interp: require, connect and TLS from the luarocks tree" use "$interp" "$tree"
done
# the lua5.1 module is still lua5.1's after lua5.4 built into the same tree
if wanted lua5.1 && wanted lua5.4; then
  run "lua5.1 still works after lua5.4's luarocks make" use lua5.1 "$work/tree"
fi

# ---- a binary rock: luarocks pack of the installed rock, then install -------

if wanted lua5.4; then
  pack_bin() {
    (cd "$work" && rocks lua5.4 pack lua-resty-luasocket --tree "$work/tree") &&
      ls "$work"/lua-resty-luasocket-scm-1.*.rock
  }
  run "luarocks pack of the lua5.4 tree" pack_bin
  install_bin() {
    (cd "$work" && rocks lua5.4 install --tree "$work/tree-bin" \
      "$(ls "$work"/lua-resty-luasocket-scm-1.*.rock)")
  }
  run "luarocks install of the packed rock" install_bin
  run "lua5.4: require, connect and TLS from the packed rock" use lua5.4 "$work/tree-bin"
fi

# ---- the release: make dist's source rock, built by luarocks install --------

version=$(sed -n 's/^ *_VERSION = "\(.*\)",$/\1/p' lib/resty/luasocket.lua)
srcrock=dist/lua-resty-luasocket-$version-1.src.rock
run "make dist makes $srcrock" make -s dist
for interp in lua5.4 luajit; do
  wanted "$interp" || continue
  install_src() {
    (cd "$work" && rocks "$1" install --tree "$work/tree-src-$1" "$root/$srcrock")
  }
  run "$interp: luarocks install of the source rock builds it" install_src "$interp"
  run "$interp: require, connect and TLS from the source rock" use "$interp" "$work/tree-src-$interp"
done

# ---- make install, as a distribution package would -------------------------

if wanted lua5.4; then
  run "make install LUA=lua5.4 PREFIX=/usr DESTDIR=..." \
    make -s install LUA=lua5.4 PREFIX=/usr DESTDIR="$work/stage" \
    BUILD="$work/build-stage"
  run "lua5.4: require, connect and TLS from the DESTDIR staging" \
    use lua5.4 "$work/stage/usr"
fi

# ---- the Makefile's variables -----------------------------------------------

# dry_run ARGS...: the module's compile line for lua5.4, with ARGS, WERROR
# taken out of the environment (make test sets it)
dry_run() {
  env -u WERROR make -n -B module LUA=lua5.4 BUILD="$work/build-dry" "$@" | tr '\\\n' '  '
}
has() { # has WORD ARGS...: dry_run ARGS mentions WORD
  word=$1
  shift
  dry_run "$@" | grep -q -e "$word"
}
lacks() { word=$1; shift; ! has "$word" "$@"; }
run "CFLAGS reach the compiler" has -fstack-protector-strong CFLAGS=-fstack-protector-strong
run "CPPFLAGS reach the compiler" has -D_FORTIFY_SOURCE=2 CPPFLAGS=-D_FORTIFY_SOURCE=2
run "LDFLAGS reach the linker" has -Wl,-z,relro LDFLAGS=-Wl,-z,relro
run "warnings are not errors for users" lacks -Werror
run "WERROR=-Werror makes them errors" has -Werror WERROR=-Werror
run "OPENSSL_DIR is honoured" has "-I/opt/ssl/include .*-L/opt/ssl/lib -lssl" OPENSSL_DIR=/opt/ssl
run "PCRE2_INCDIR and PCRE2_LIBDIR are honoured" has "-I/opt/pcre/inc .*-L/opt/pcre/lib -lpcre2-8" \
  PCRE2_INCDIR=/opt/pcre/inc PCRE2_LIBDIR=/opt/pcre/lib
refused_ssl() {
  ! rocks lua5.4 make --tree "$work/tree-nossl" lua-resty-luasocket-scm-1.rockspec \
    OPENSSL_INCDIR="$work/no-such-dir" >"$work/nossl.log" 2>&1 &&
    grep -q "No file openssl/ssl.h in $work/no-such-dir" "$work/nossl.log"
}
run "luarocks looks for OpenSSL where OPENSSL_INCDIR says" refused_ssl

# ---- inside nginx: the LuaJIT tree on nginx's Lua paths --------------------

if wanted luajit && command -v "$nginx_bin" >/dev/null 2>&1 &&
  [ -f "$modules/ngx_http_lua_module.so" ]; then
  sed -e "s|@TREE@|$work/tree-luajit|g" -e "s|@CERT@|$work/cert.pem|g" \
    -e "s|@TLS_PORT@|$tls_port|g" tests/package/nginx.conf.in >"$work/nginx.conf.in"
  if start_nginx "$work/nginx.conf.in"; then
    curl -s --max-time 20 "$url/check" >"$work/check.out" 2>&1
    grep -qx "init native=true HTTP/1.0 200 ok" "$work/check.out"
    check $? "package: nginx, init phase: a native socket, a verified TLS request"
    grep -qx "content native=false HTTP/1.0 200 ok" "$work/check.out"
    check $? "package: nginx, content phase: a real cosocket, a verified TLS request"
    [ "$failed" -eq 0 ] || show "$work/check.out"
    stop_nginx
  fi
fi

finish
