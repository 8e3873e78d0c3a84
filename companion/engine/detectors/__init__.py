"""The `detectors` stage: one pure module per finding kind. Each exposes `detect(doc) -> Iterable[Finding]`:
matching finds candidates in doc.view, validation (checksums, phonenumbers, context words) keeps
the real ones, spans are mapped back to the original text with doc.view.to_original(), and each
finding carries the severity its evidence is worth on its own (the policy settles the final one)."""

from companion.engine.detectors import email, filter_risk, handle, link, meeting, payment, phone, request

DETECTORS = (
    email.detect,
    phone.detect,
    handle.detect,
    link.detect,
    request.detect,
    meeting.detect,
    payment.detect,
    filter_risk.detect,
)
