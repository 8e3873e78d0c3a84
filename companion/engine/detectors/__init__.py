"""One detector per module. Each exposes `detect(doc: Document) -> Iterable[Candidate]`:
matching finds candidates in doc.view, validation (checksums, phonenumbers, context) keeps the real
ones, and spans are mapped back to the original text with doc.view.to_original()."""

from companion.engine.detectors import email, filter_risk, handle, link, payment, phone, request

DETECTORS = (
    email.detect,
    phone.detect,
    handle.detect,
    link.detect,
    request.detect,
    payment.detect,
    filter_risk.detect,
)
