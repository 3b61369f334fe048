// The inputs both validators get: a payer's possible states of the four fields, valid and not,
// the same list for every library, made deterministically (no Math.random).
const NUMBERS = [
  "4111111111111111", "4111 1111 1111 1111", "4111111111111112", "411111", "5555555555554444",
  "2223003122003222", "378282246310005", "3782 822463 10005", "6011111111111117", "3530111333300000",
  "6200000000000005", "2200000000000004", "30569309025904", "6759649826438453", "4000056655665556",
  "1234567812345678", "4111-1111-1111-1111", "5105105105105100", "", "4",
];
const EXPIRIES = ["12/30", "01 / 2031", "13/30", "12/20", "1", "", "0631", "2030-12"];
const CVVS = ["123", "1234", "12", "", "999"];
const HOLDERS = ["JOHN SMITH", "Анна Петрова", "", "12345", "Jean-Luc Picard"];

/** `count` card sets cycling through the fields at different strides, so every pairing occurs. */
export function cardSets(count) {
  return Array.from({ length: count }, (_, i) => ({
    number: NUMBERS[i % NUMBERS.length],
    expiry: EXPIRIES[(i * 3) % EXPIRIES.length],
    cvv: CVVS[(i * 7) % CVVS.length],
    holder: HOLDERS[(i * 11) % HOLDERS.length],
  }));
}
