-- luacheck configuration (tests/lint.sh, `make lint`)
std = "max"
exclude_files = { "build/" }

-- ngx_lua's API table: never replaced, and only its writable fields set
local writable = { read_only = false, other_fields = true }
read_globals = {
  ngx = {
    other_fields = true,
    fields = {
      status = writable,
      ctx = writable,
      header = writable,
      var = writable,
      arg = writable,
    },
  },
}

-- types/: lua-language-server definitions, empty functions that only
-- declare their parameters, on class tables nothing reads
files["types/"] = { unused_args = false, ignore = { "241" } }
