package disclosure

import (
	"crypto/md5"
	"math/big"
	"strconv"
)

// Measures are the published measures of a cell, in the order of their
// record keys: measure i uses bits 14·i to 14·i + 13 of the record key
// (SQL macro key_slice). Respondents is the count of all of the cell's
// respondents; the others count those with the class or the missing skill.
var Measures = []string{
	"respondents", "illectronisme", "capacites_faibles", "autonome",
	"no_basic_information", "no_basic_communication", "no_basic_content_creation",
	"no_basic_safety", "no_basic_problem_solving",
}

// RecordKeys are the keys of a respondent, one per measure (Measures), as
// the SQL computes them (int_assessments__latest.record_key, key_slice): the
// MD5 digest of "<source>:<pseudonym>", read as a little-endian 128-bit
// integer and cut into 14-bit slices. The pseudonym is secret (an HMAC of
// the respondent id), so the keys are too.
func RecordKeys(source string, pseudonym int64) []int {
	return digestKeys([]byte(source + ":" + strconv.FormatInt(pseudonym, 10)))
}

// digestKeys cuts the MD5 digest of data into keys, as key_slice cuts
// DuckDB's md5_number(data).
func digestKeys(data []byte) []int {
	sum := md5.Sum(data)
	le := make([]byte, len(sum)) // big.Int reads big-endian
	for i, b := range sum {
		le[len(sum)-1-i] = b
	}
	n := new(big.Int).SetBytes(le)
	mask := big.NewInt(KeyRange - 1)
	keys := make([]int, len(Measures))
	for i := range keys {
		keys[i] = int(new(big.Int).And(new(big.Int).Rsh(n, uint(KeyBits*i)), mask).Int64())
	}
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
