package main

// usage is what "ecslocal help" prints; docs/cli.md says the same at length.
const usage = `ecslocal is a local, faithful Alibaba Cloud ECS, VPC and SLB API server.

Usage:
  ecslocal serve [flags]             run the server (console at http://ADDR/_ecslocal/console/)
  ecslocal version                   print the version
  ecslocal clock [flags]             print the emulated time
  ecslocal clock advance DURATION    move the emulated clock forward (e.g. 90s, 1h)
  ecslocal clock set RFC3339         move the emulated clock to a later time (it never goes back)
  ecslocal reset [flags]             drop every resource of every account
  ecslocal health [flags]            check a running server
  ecslocal call ACTION [key=value…] [flags]
                                     call the API (v1-signed POST) and print its JSON answer;
                                     exit 1 on an error answer, its reason on stderr
  ecslocal state export [FILE]       write the whole state (versioned JSON) to FILE or stdout
  ecslocal state import FILE         replace the whole state with FILE ("-": stdin)
  ecslocal help                      print this text

serve flags (each has an environment twin; a flag beats its variable):
  --addr HOST:PORT        ECSLOCAL_ADDR          default 127.0.0.1:8790
  --store SPEC            ECSLOCAL_STORE         default sqlite:ecslocal.db
                          ` + storeForms + `
  --access-key ID:SECRET[:ACCOUNT]  (repeatable)
                          ECSLOCAL_ACCESS_KEYS   default test:test (comma-separated)
                          ACCOUNT is a 16-digit account id (default: derived from ID)
  --auth strict|off       ECSLOCAL_AUTH          default strict
  --profile fast|realistic
                          ECSLOCAL_PROFILE       default fast
  --freeze-clock          ECSLOCAL_FREEZE_CLOCK  default false
  --admin-token TOKEN     ECSLOCAL_ADMIN_TOKEN   default none
  --init-state FILE       ECSLOCAL_INIT_STATE    default none
                          import this state document at start (replacing the store's)
  --rate-limit N          ECSLOCAL_RATE_LIMIT    default 0 (off)
                          API calls per second per account (burst N); past it Throttling.User
  --max-inflight N        ECSLOCAL_MAX_INFLIGHT  default 256 (0: no bound)
                          API calls served at once; past it ServiceUnavailable (503)
  --pprof                 ECSLOCAL_PPROF         default false
                          serve net/http/pprof on /debug/pprof/ of the same listener
                          (with --admin-token, pprof and /metrics need the token too)
  --admin-host NAME       ECSLOCAL_ADMIN_HOSTS   default none (repeatable; env comma-separated)
                          a Host name the admin API and console answer to besides
                          127.0.0.1, localhost, ::1 and the --addr host
  --tls-cert FILE         ECSLOCAL_TLS_CERT      default none
  --tls-key FILE          ECSLOCAL_TLS_KEY       default none
                          with both, the same port answers HTTPS beside plain HTTP
  --tls                   ECSLOCAL_TLS           default false
                          HTTPS beside HTTP with a self-signed certificate for 127.0.0.1,
                          ::1 and localhost, made once; its path is in the start line
  --tls-dir DIR           ECSLOCAL_TLS_DIR       default the SQLite file's directory,
                          else the user cache directory's ecslocal/

clock, reset, health and state talk to a running server's admin API:
  --addr HOST:PORT        ECSLOCAL_ADDR          default 127.0.0.1:8790
  --admin-token TOKEN     ECSLOCAL_ADMIN_TOKEN

call flags:
  --addr HOST:PORT        ECSLOCAL_ADDR          default 127.0.0.1:8790
  --access-key ID:SECRET  ECSLOCAL_ACCESS_KEYS   default its first key, else test:test
  --product ecs|vpc|slb                          default ecs; sets the default version
  --version VERSION                              default 2014-05-26 (vpc 2016-04-28, slb 2014-05-15)
  --region REGION                                default cn-hangzhou; sent as RegionId unless given
`

// storeForms lists every --store value the server opens.
const storeForms = "sqlite:PATH, sqlite::memory:, memory, or postgres://USER@HOST:PORT/DB"
