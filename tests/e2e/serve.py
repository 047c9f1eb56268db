"""Serves a directory on 127.0.0.1 for the end-to-end tests, optionally with a
Content-Security-Policy header on every response (the strict policy the README documents)."""
import argparse
import functools
import http.server


class Handler(http.server.SimpleHTTPRequestHandler):
    policy = None

    def end_headers(self):
        if self.policy:
            self.send_header("Content-Security-Policy", self.policy)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--csp")
    args = parser.parse_args()
    Handler.policy = args.csp
    Handler.extensions_map[".wasm"] = "application/wasm"
    Handler.extensions_map[".js"] = "text/javascript"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), functools.partial(Handler, directory=args.dir))
    server.serve_forever()


if __name__ == "__main__":
    main()
