"""gunicorn settings of a web node (deploy/systemd/registry-web@.service passes --bind 127.0.0.1:PORT).

Each node runs GUNICORN_WORKERS processes (default 2 per CPU + 1) of GUNICORN_THREADS threads: a
thread waiting on PostgreSQL does not hold a whole process. nginx buffers request bodies (evidence
uploads up to 3 × EVIDENCE_MAX_BYTES) and responses, so a slow phone never holds a worker either.
"""

import multiprocessing
import os

wsgi_app = "interference_registry.wsgi"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# The longest request: an import's dry run over a province's files (up to ~100 s for 50,000 cases,
# benchmarks/RESULTS.md) and the xlsx exports of a national ledger; report PDFs and the confirmed
# import run in the worker. nginx's proxy_read_timeout (deploy/nginx/registry.conf) is longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 180))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter, so not all at once): bounds slow leaks.
max_requests = 2000
max_requests_jitter = 200
# X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER) is believed only from nginx on this machine. The client's
# address is read by Django from X-Forwarded-For through TRUSTED_PROXY_COUNT proxies, not by gunicorn.
forwarded_allow_ips = "127.0.0.1"
# Logs to stdout/stderr: journald keeps them (LOG_FORMAT=json makes Django's own lines JSON).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(L)ss "%({x-forwarded-for}i)s" %({x-request-id}o)s'
# The application is loaded once in the master, so workers share its memory and start fast.
preload_app = True
# gunicorn's runtime control socket (gunicornc) would default to one path in the home directory for
# every node on the machine (and ProtectHome= hides the home directory): not used here.
control_socket_disable = True
