package disclosure

import (
	"crypto/md5"
	"encoding/binary"
	"strconv"
)

// Measures are the published measures of a cell, in the order of their
// record keys: measure i uses key i of RecordKeys (SQL macros key_bits and
// key_top). Respondents is the count of all of the cell's respondents; the
// others count those with the class or the missing skill.
var Measures = []string{
	"respondents", "illectronisme", "capacites_faibles", "autonome",
	"no_basic_information", "no_basic_communication", "no_basic_content_creation",
	"no_basic_safety", "no_basic_problem_solving",
}

// RecordKeys are the keys of a respondent, one per measure (Measures), as
// the SQL computes them (int_assessments__cells, macros key_bits and key_top): the MD5
// digest of "<source>:<pseudonym>" read as a little-endian 128-bit integer
// (DuckDB's md5_number), split into its low and high 64-bit halves; keys
// 0–3 are bits 0–55 of the low half, keys 4–7 bits 0–55 of the high half,
// key 8 the top 8 bits of the low half and the top 6 of the high half
// (bits 62–63 of the high half are unused). The pseudonym is secret (an
// HMAC of the respondent id), so the keys are too.
func RecordKeys(source string, pseudonym int64) []int {
	return digestKeys([]byte(source + ":" + strconv.FormatInt(pseudonym, 10)))
}

// digestKeys cuts the MD5 digest of data into keys, as key_bits and key_top cut
// DuckDB's md5_number(data).
func digestKeys(data []byte) []int {
	sum := md5.Sum(data)
	lo := binary.LittleEndian.Uint64(sum[:8])
	hi := binary.LittleEndian.Uint64(sum[8:])
	const mask = KeyRange - 1
	keys := make([]int, len(Measures))
	for i := range 4 {
		keys[i] = int(lo >> (KeyBits * i) & mask)
		keys[4+i] = int(hi >> (KeyBits * i) & mask)
	}
	keys[8] = int(lo>>56 | (hi>>56&63)<<8)
	return keys
}

// CellKey is the key of a cell: the sum of its records' keys (for one
// measure) modulo KeyRange. An empty cell has key 0.
func CellKey(keys ...int) int {
	sum := 0
	for _, k := range keys {
		sum = (sum + k) % KeyRange
	}
	return sum
}

// Publish is the count published for a cell of count records whose cell
// key is key, in table tab, and whether it is published at all: a
// Respondents cell below the threshold is not.
func (t Table) Publish(tab string, count, key int) (int, bool) {
	if tab == Respondents && count < t.Params.Threshold {
		return 0, false
	}
	return count + t.Noise(tab, count, key), true
}
