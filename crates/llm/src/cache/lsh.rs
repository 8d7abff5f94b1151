//! Random-hyperplane LSH (SimHash): vectors at a small angle agree on most hyperplane sides,
//! so they share a bucket in at least one table with high probability, while unrelated texts
//! rarely do. Candidates are then verified by exact cosine.

/// LSH layout. Recall at cosine `c` (angle θ, bit agreement `p = 1 - θ/π`), probing the
/// signature and its one-bit neighbours: `1 - (1 - p^k - k·p^(k-1)·(1-p))^tables`. With the
/// defaults: 0.995 at c = 0.93 (the `analyze_job` threshold), 0.975 at c = 0.9, while about 3%
/// of unrelated entries (c ≈ 0.3) and 13% of loosely related ones (c ≈ 0.5) get verified.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LshConfig {
    pub tables: usize,
    /// Signature bits per table (at most 32).
    pub bits: usize,
    /// Seeds the hyperplanes; every process sharing a backend must use the same one.
    pub seed: u64,
    /// Also probe the buckets one bit flip away: much better recall for few extra reads.
    pub multi_probe: bool,
}

impl Default for LshConfig {
    fn default() -> Self {
        Self { tables: 10, bits: 16, seed: 0x5eed_ca11_ab1e_0001, multi_probe: true }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Lsh {
    config: LshConfig,
    dim: usize,
    /// tables × bits hyperplanes of `dim` signs, packed 64 to a word (1 = +1, 0 = -1).
    /// Rademacher planes approximate Gaussian ones well in high dimension and need no
    /// floating-point RNG that could differ between platforms.
    planes: Vec<u64>,
}

impl Lsh {
    pub(crate) fn new(config: LshConfig, dim: usize) -> Self {
        let config = LshConfig { tables: config.tables.max(1), bits: config.bits.clamp(1, 32), ..config };
        let mut state = config.seed;
        let words = config.tables * config.bits * dim.div_ceil(64);
        let planes = (0..words).map(|_| splitmix64(&mut state)).collect();
        Self { config, dim, planes }
    }

    /// One signature per table.
    pub(crate) fn signatures(&self, v: &[f32]) -> Vec<u32> {
        if v.len() != self.dim || self.dim == 0 {
            return Vec::new();
        }
        let words_per_plane = self.dim.div_ceil(64);
        self.planes
            .chunks_exact(words_per_plane * self.config.bits)
            .map(|table| {
                table.chunks_exact(words_per_plane).enumerate().fold(0u32, |sig, (bit, plane)| {
                    if side(plane, v) >= 0.0 {
                        sig | (1 << bit)
                    } else {
                        sig
                    }
                })
            })
            .collect()
    }

    /// The buckets a query reads: (table, signature) pairs.
    pub(crate) fn probes(&self, signatures: &[u32]) -> Vec<(usize, u32)> {
        let mut out = Vec::with_capacity(signatures.len() * (self.config.bits + 1));
        for (table, &sig) in signatures.iter().enumerate() {
            out.push((table, sig));
            if self.config.multi_probe {
                out.extend((0..self.config.bits).map(|bit| (table, sig ^ (1 << bit))));
            }
        }
        out
    }
}

/// The dot product with a ±1 plane: each coordinate with its sign bit flipped where the plane
/// says -1 (no multiplications).
fn side(plane: &[u64], v: &[f32]) -> f32 {
    let mut sum = 0.0f32;
    for (word, chunk) in plane.iter().zip(v.chunks(64)) {
        for (i, x) in chunk.iter().enumerate() {
            let flip = (!(word >> i) & 1) as u32;
            sum += f32::from_bits(x.to_bits() ^ (flip << 31));
        }
    }
    sum
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn planes_are_deterministic_and_close_vectors_share_buckets() {
        let a = Lsh::new(LshConfig::default(), 64);
        let b = Lsh::new(LshConfig::default(), 64);
        let v: Vec<f32> = (0..64).map(|i| ((i * 7919) % 13) as f32 - 6.0).collect();
        let mut w = v.clone();
        w[3] += 0.5;
        assert_eq!(a.signatures(&v), b.signatures(&v));
        let (sv, sw) = (a.signatures(&v), a.signatures(&w));
        let LshConfig { tables, bits, .. } = LshConfig::default();
        assert_eq!(sv.len(), tables);
        let probes = a.probes(&sv);
        assert_eq!(probes.len(), tables * (bits + 1));
        assert!(sw.iter().enumerate().any(|(t, s)| probes.contains(&(t, *s))));
    }
}
