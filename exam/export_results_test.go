package exam

// DecodeItemsFast exposes the hand-written paper decoder to the tests of
// package exam_test, which check it against encoding/json.
var DecodeItemsFast = decodeItemsFast
