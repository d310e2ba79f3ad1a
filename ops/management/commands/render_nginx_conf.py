"""Writes nginx.conf for this deployment from deploy/nginx.conf.template and the settings."""

from __future__ import annotations

import os
from pathlib import Path
from string import Template

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "nginx.conf.template"


def render_nginx_conf(
    *,
    prefix: str,
    upstream_ports: list[int],
    http_port: int,
    https_port: int,
    tls_cert: str,
    tls_key: str,
    proxy_timeout_s: int,
) -> str:
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=2 fail_timeout=10s;" for port in upstream_ports
    )
    # nginx running as root would serve files as "nobody"; run it as the user who owns them.
    user_line = "user root;" if os.geteuid() == 0 else ""
    return Template(TEMPLATE.read_text()).substitute(
        user_line=user_line,
        prefix=prefix,
        max_body=settings.REQUEST_MAX_BODY_BYTES,
        upstream_servers=servers,
        http_port=http_port,
        https_port=https_port,
        tls_cert=tls_cert,
        tls_key=tls_key,
        static_root=str(Path(settings.STATIC_ROOT).resolve()),
        media_root=str(Path(settings.SENDFILE_ROOT).resolve()),
        sendfile_url=settings.SENDFILE_URL.rstrip("/"),
        proxy_timeout=f"{proxy_timeout_s}s",
    )


class Command(BaseCommand):
    help = "Write nginx.conf (paths and limits from the settings, ports from the options)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--prefix", required=True, help="nginx's runtime directory")
        parser.add_argument("--upstream-port", type=int, action="append", required=True)
        parser.add_argument("--http-port", type=int, default=8080)
        parser.add_argument("--https-port", type=int, default=8443)
        parser.add_argument("--tls-cert", required=True)
        parser.add_argument("--tls-key", required=True)
        parser.add_argument("--proxy-timeout", type=int, default=130)
        parser.add_argument("--output", required=True)

    def handle(self, *args, **o) -> None:
        conf = render_nginx_conf(
            prefix=str(Path(o["prefix"]).resolve()),
            upstream_ports=o["upstream_port"],
            http_port=o["http_port"],
            https_port=o["https_port"],
            tls_cert=str(Path(o["tls_cert"]).resolve()),
            tls_key=str(Path(o["tls_key"]).resolve()),
            proxy_timeout_s=o["proxy_timeout"],
        )
        Path(o["output"]).write_text(conf)
        self.stdout.write(o["output"])
