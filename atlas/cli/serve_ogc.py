"""atlas serve-ogc: the atlas's layers as an OGC API - Features service (pygeoapi, read-only)."""

from __future__ import annotations

from atlas.cli.arguments import region_argument, whole_number


def arguments(parser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    parser.add_argument("--port", type=whole_number(1, 65535), default=5000, help="port (default: 5000)")
    parser.add_argument(
        "--url",
        help="the address users reach the service at, behind the office's proxy "
        "(default: ATLAS_PUBLIC_URL, else http://HOST:PORT)",
    )
    parser.add_argument("--threads", type=whole_number(1, 64), default=4, help="requests served at once (default: 4)")
    region_argument(parser)


def run(args) -> int:
    from atlas.io.ogc_server import serve

    serve(args.host, args.port, args.url, args.region, args.threads)
    return 0
