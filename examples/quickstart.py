"""The README's SDK example: read a product and a segment, update a reference, handle a 404.

Run it against the mock: `make mock` in one shell, then in another
    export OCTAVE_API_KEY=mock_acme_rw_9f2c41d7e8 OCTAVE_BASE_URL=http://127.0.0.1:8765
    python examples/quickstart.py
"""

from octave_client import NotFoundError, Octave
from octave_client.models import ServiceData

with Octave() as octave:  # OCTAVE_API_KEY, and OCTAVE_BASE_URL or https://app.octavehq.com
    product = octave.products.get("p_acme_api")
    print(product.name, "-", product.data.type_)
    if isinstance(product.data, ServiceData):
        print("deliverables:", product.data.deliverables)

    segment = octave.segments.get("sg_acme_mmsaas")
    print(segment.name)

    # A partial update: only the fields you name are sent; the others keep their values.
    answer = octave.references.update(
        "r_acme_dropbox", impact_they_saw=["Onboarding time down 60%"]
    )
    print("updated", answer.data.o_id if answer.data else None)

    try:
        octave.products.get("p_missing")
    except NotFoundError as error:
        print(error.status_code, error.message)
