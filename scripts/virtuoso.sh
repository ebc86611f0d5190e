#!/usr/bin/env bash
# Debian's Virtuoso 7 for the remote-store tests (tests/store), the way `make chromium` brings
# Chromium for the browser tests.
#
#   scripts/virtuoso.sh install                      apt-get install virtuoso-opensource,
#                                                    unless virtuoso-t is there already
#   scripts/virtuoso.sh start DIR SQL_PORT HTTP_PORT a throwaway server in the foreground:
#                                                    a fresh database in DIR, listening on
#                                                    127.0.0.1 only; SPARQL at
#                                                    http://127.0.0.1:HTTP_PORT/sparql, updates
#                                                    at /sparql-auth (user dba, password dba)
#
# The server is set up as docs/decisions/0004-remote-store.md asks of a Virtuoso for the
# project: Virtuoso's defaults (answers capped at 10,000 rows, queries stopped after 60 s),
# except that it runs a query whatever the optimizer estimates it would take
# (MaxQueryCostEstimationTime = 0: its estimates for the page queries are a thousand
# times too high, and it refuses them before they start).
set -euo pipefail

case "${1:-}" in
install)
    command -v virtuoso-t >/dev/null && exit 0
    "$(dirname "$0")/apt-install.sh" virtuoso-opensource
    ;;
start)
    [ $# = 4 ] || { echo "usage: $0 start DIR SQL_PORT HTTP_PORT" >&2; exit 2; }
    dir=$(mkdir -p "$2" && cd "$2" && pwd) sql=$3 http=$4
    cat >"$dir/virtuoso.ini" <<INI
[Database]
DatabaseFile       = $dir/virtuoso.db
ErrorLogFile       = $dir/virtuoso.log
LockFile           = $dir/virtuoso.lck
TransactionFile    = $dir/virtuoso.trx
xa_persistent_file = $dir/virtuoso.pxa

[TempDatabase]
DatabaseFile    = $dir/virtuoso-temp.db
TransactionFile = $dir/virtuoso-temp.trx

[Parameters]
ServerPort         = 127.0.0.1:$sql
DisableUnixSocket  = 1
NumberOfBuffers    = 20000
MaxDirtyBuffers    = 15000
CheckpointInterval = 0
DirsAllowed        = $dir
ThreadsPerQuery    = 2

[HTTPServer]
ServerPort           = 127.0.0.1:$http
ServerRoot           = $dir
ServerThreads        = 4
MaxClientConnections = 4

[SPARQL]
ResultSetMaxRows           = 10000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 60
INI
    exec virtuoso-t +foreground +configfile "$dir/virtuoso.ini"
    ;;
*)
    echo "usage: $0 install | start DIR SQL_PORT HTTP_PORT" >&2
    exit 2
    ;;
esac
