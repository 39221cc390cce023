from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/manifest+json",
    "application/javascript",
)


class CompressPagesMiddleware(GZipMiddleware):
    """Gzip pages, JSON and scripts for slow mobile networks, but not files.

    A download (a streamed file) keeps its length and byte ranges; static files come
    from whitenoise already compressed. Django's GZipMiddleware pads each response
    with random bytes against BREACH-style attacks, and CSRF tokens are masked.
    """

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if response.streaming or not content_type.startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
