/* SilverShield public pages. No inline script (CSP); everything works without this file too:
   - the report form's challenge: a small proof of work, solved here so that nobody has to
     answer the arithmetic question (without JavaScript the question is the way through);
   - the receipt page's print button. */
(function () {
  "use strict";

  function leadingZeroBits(bytes) {
    var bits = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { bits += 8; continue; }
      var b = bytes[i];
      while ((b & 0x80) === 0) { bits += 1; b <<= 1; }
      break;
    }
    return bits;
  }

  function solve(step) {
    var challenge = document.getElementById("id_challenge");
    var proof = document.getElementById("id_pow");
    var bits = parseInt(step.getAttribute("data-bits"), 10) || 0;
    if (!challenge || !proof || !window.crypto || !window.crypto.subtle || !window.TextEncoder) { return; }
    var encoder = new TextEncoder();
    var counter = 0;
    function batch() {
      var tries = [];
      for (var i = 0; i < 256; i++) {
        tries.push(window.crypto.subtle.digest("SHA-256", encoder.encode(challenge.value + ":" + (counter + i))));
      }
      return Promise.all(tries).then(function (digests) {
        for (var j = 0; j < digests.length; j++) {
          if (leadingZeroBits(new Uint8Array(digests[j])) >= bits) {
            proof.value = String(counter + j);
            var question = document.getElementById("challenge-question");
            var done = document.getElementById("challenge-done");
            if (question) { question.hidden = true; }
            if (done) { done.hidden = false; }
            step.setAttribute("data-solved", "true");
            return null;
          }
        }
        counter += digests.length;
        if (counter > 50000000) { return null; }
        return batch();
      });
    }
    batch().catch(function () { /* the arithmetic question stays */ });
  }

  function ready() {
    var step = document.getElementById("challenge-step");
    if (step) { solve(step); }
    var print = document.getElementById("print-button");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
