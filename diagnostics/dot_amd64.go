//go:build !purego

package diagnostics

// dots writes into out[d] dot(n, p[d×len(n):(d+1)×len(n)]), bit for bit,
// four rows of p at a time in SSE2 registers when len(n) is a multiple of
// four: the four partial sums of dot are the lanes of two registers, so
// each product and each sum is the one dot makes, two at a time.
func dots(n, p, out []float64) {
	m, d := len(n), 0
	_ = p[:len(out)*m]
	if m > 0 && m%4 == 0 {
		for ; d+4 <= len(out); d += 4 {
			dot4(&n[0], &p[d*m], m, (*[4]float64)(out[d:d+4]))
		}
	}
	for ; d < len(out); d++ {
		out[d] = dot(n, p[d*m:(d+1)*m])
	}
}

// dot4 writes into out the dots of n (length elements, a multiple of
// four) with the four rows of length elements that start at p.
//
//go:noescape
func dot4(n, p *float64, length int, out *[4]float64)
