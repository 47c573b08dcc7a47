"""Beyond the model: request ids, the whole answer, and options for one call.

Run it against the mock as examples/quickstart.py says (`make mock`, then set OCTAVE_API_KEY and
OCTAVE_BASE_URL); `make typecheck` checks it with mypy --strict and pyright in strict mode.
"""

import asyncio

from octave_client import APITimeoutError, AsyncOctave, BadRequestError, Octave

# default_headers go with every request (a User-Agent here would replace the SDK's own).
with Octave(default_headers={"X-App": "crm-sync"}) as octave:
    product = octave.products.get("p_acme_api")
    print("request id:", product.request_id_)  # for a log line or a support ticket

    # The whole answer: status, headers and request id, and parse() for the same model.
    answer = octave.segments.with_raw_response.get("sg_acme_mmsaas")
    segment = answer.parse()
    print(answer.status_code, answer.headers["content-type"], segment.name)
    print("same id:", answer.request_id == answer.headers["x-request-id"] == segment.request_id_)

    # Options for one call: a tracing header, a query parameter and a shorter timeout.
    try:
        octave.products.get(
            "p_acme_api",
            extra_headers={"X-Trace-Id": "trace-42"},
            extra_query={"trace": "42"},
            timeout=2.0,
        )
    except APITimeoutError as error:
        print("too slow:", error)

    # A field newer than this client goes in extra_body; the mock knows none, and says so.
    try:
        octave.references.update("r_acme_dropbox", name="Dropbox", extra_body={"region": "EU"})
    except BadRequestError as error:
        print(error.status_code, error.message)


async def update_async() -> None:
    async with AsyncOctave() as octave:
        raw = await octave.references.with_raw_response.update("r_acme_dropbox", name="Dropbox")
        reference = raw.parse().data
        print(raw.status_code, reference.name, raw.request_id == raw.parse().request_id_)


asyncio.run(update_async())
