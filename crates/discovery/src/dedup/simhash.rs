//! 64-bit SimHash over word 3-shingles: texts that share most of their word sequences get
//! hashes a few bits apart, whatever their wrapping, casing or punctuation.

/// Word shingles of this many words.
const SHINGLE: usize = 3;

/// The SimHash of `text` and how many words it has. Words are runs of letters and digits,
/// lowercased; a text shorter than a shingle is hashed as one shingle.
pub fn simhash_words(text: &str) -> (u64, usize) {
    let mut acc = BitCounts::default();
    let mut window = [0u64; SHINGLE];
    let mut count = 0usize;
    for w in WordHashes::new(text) {
        window.rotate_left(1);
        window[SHINGLE - 1] = w;
        count += 1;
        if count >= SHINGLE {
            acc.add(shingle_hash(&window));
        }
    }
    if (1..SHINGLE).contains(&count) {
        acc.add(shingle_hash(&window));
    }
    (acc.majority(), count)
}

/// The SimHash of `text`, its word count, and its distinct shingle hashes (sorted, at most
/// `max_shingles` of them, taken from the start): the set [`containment`] compares.
pub fn simhash_and_shingles(text: &str, max_shingles: usize) -> (u64, usize, Vec<u64>) {
    let mut acc = BitCounts::default();
    let mut window = [0u64; SHINGLE];
    let mut count = 0usize;
    let mut shingles = Vec::new();
    for w in WordHashes::new(text) {
        window.rotate_left(1);
        window[SHINGLE - 1] = w;
        count += 1;
        if count >= SHINGLE {
            let h = shingle_hash(&window);
            acc.add(h);
            if shingles.len() < max_shingles {
                shingles.push(h);
            }
        }
    }
    if (1..SHINGLE).contains(&count) {
        acc.add(shingle_hash(&window));
    }
    shingles.sort_unstable();
    shingles.dedup();
    (acc.majority(), count, shingles)
}

/// The share of the smaller sorted shingle set found in the other (0 when either is empty): 1
/// for a text and its truncation, low for two different texts.
pub fn containment(a: &[u64], b: &[u64]) -> f64 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < small.len() && j < large.len() {
        match small[i].cmp(&large[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared as f64 / small.len() as f64
}

/// Per-bit counts of set bits over many hashes. Each hash byte is spread into eight one-byte
/// lanes of a `u64` (by table), so one addition counts eight bits; lanes are flushed into wide
/// counters before they can overflow.
struct BitCounts {
    lanes: [u64; 8],
    pending: u32,
    totals: [u32; 64],
    n: u32,
}

/// `SPREAD[b]` has bit `i` of `b` in the lowest bit of byte `i`.
const SPREAD: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut b = 0;
    while b < 256 {
        let mut i = 0;
        while i < 8 {
            t[b] |= (((b >> i) & 1) as u64) << (8 * i);
            i += 1;
        }
        b += 1;
    }
    t
};

impl Default for BitCounts {
    fn default() -> Self {
        Self { lanes: [0; 8], pending: 0, totals: [0; 64], n: 0 }
    }
}

impl BitCounts {
    fn add(&mut self, h: u64) {
        for (byte, lane) in self.lanes.iter_mut().enumerate() {
            *lane += SPREAD[((h >> (8 * byte)) & 0xff) as usize];
        }
        self.n += 1;
        self.pending += 1;
        if self.pending == 255 {
            self.flush();
        }
    }

    fn flush(&mut self) {
        for (byte, lane) in self.lanes.iter_mut().enumerate() {
            for i in 0..8 {
                self.totals[byte * 8 + i] += ((*lane >> (8 * i)) & 0xff) as u32;
            }
            *lane = 0;
        }
        self.pending = 0;
    }

    /// Bit `i` set when more than half the hashes had it set.
    fn majority(mut self) -> u64 {
        self.flush();
        let mut out = 0u64;
        for (bit, &t) in self.totals.iter().enumerate() {
            if 2 * t > self.n {
                out |= 1 << bit;
            }
        }
        out
    }
}

fn shingle_hash(w: &[u64; SHINGLE]) -> u64 {
    mix(w[0] ^ w[1].rotate_left(21) ^ w[2].rotate_left(42))
}

/// splitmix64's finalizer: spreads every input bit over the whole output, which SimHash needs
/// (each output bit must be a fair coin per shingle).
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Hashes of the lowercase words of a text, without allocating. ASCII letters are packed eight
/// to a `u64` and mixed a word at a time; other characters are decoded, lowercased and mixed one
/// by one.
struct WordHashes<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> WordHashes<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, pos: 0 }
    }
}

/// Per byte: the lowercase letter or digit, 0 for other ASCII (a separator), 1 for the bytes
/// of non-ASCII characters. One lookup decides the common case.
const ASCII_CLASS: [u8; 256] = {
    let mut t = [1u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { 0 };
        b += 1;
    }
    t
};

const SEED: u64 = 0xcbf2_9ce4_8422_2325;
const K: u64 = 0x9e37_79b9_7f4a_7c15;

fn absorb(h: u64, v: u64) -> u64 {
    (h ^ v).wrapping_mul(K).rotate_left(31)
}

impl Iterator for WordHashes<'_> {
    type Item = u64;
    fn next(&mut self) -> Option<u64> {
        let bytes = self.text.as_bytes();
        let (mut h, mut pack, mut packed, mut len) = (SEED, 0u64, 0u32, 0u64);
        while self.pos < bytes.len() {
            let b = bytes[self.pos];
            let class = ASCII_CLASS[usize::from(b)];
            if class > 1 {
                self.pos += 1;
                pack = pack << 8 | u64::from(class);
                packed += 1;
                len += 1;
                if packed == 8 {
                    (h, pack, packed) = (absorb(h, pack), 0, 0);
                }
                continue;
            }
            if class == 0 {
                self.pos += 1;
                if len > 0 {
                    break;
                }
                continue;
            }
            let c = self.text[self.pos..].chars().next()?;
            if !c.is_alphanumeric() {
                self.pos += c.len_utf8();
                if len > 0 {
                    break;
                }
                continue;
            }
            self.pos += c.len_utf8();
            for l in c.to_lowercase() {
                (h, pack, packed) = (absorb(absorb(h, pack), u64::from(u32::from(l)) | 1 << 40), 0, 0);
                len += 1;
            }
        }
        (len > 0).then(|| absorb(absorb(h, pack), len << 48))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_case_and_punctuation_do_not_matter() {
        let a = "We build tools for analysts. You will own the data model, and ship weekly.";
        let b = "we BUILD tools for analysts\n\n- you will own the data-model and ship weekly";
        assert_eq!(simhash_words(a), simhash_words(b));
        assert_eq!(simhash_words(""), (0, 0));
        assert_eq!(simhash_words("one two").1, 2);
        assert_ne!(simhash_words("one two").0, simhash_words("two one").0);
    }

    #[test]
    fn counts_match_a_plain_majority() {
        let hashes: Vec<u64> = (0..1000u64).map(|i| mix(i.wrapping_mul(0x9e37_79b9))).collect();
        let mut acc = BitCounts::default();
        let mut ones = [0u32; 64];
        for &h in &hashes {
            acc.add(h);
            for (bit, n) in ones.iter_mut().enumerate() {
                *n += ((h >> bit) & 1) as u32;
            }
        }
        let want = ones.iter().enumerate().fold(0u64, |o, (bit, &n)| if 2 * n > 1000 { o | 1 << bit } else { o });
        assert_eq!(acc.majority(), want);
    }
}
