//! Local text embeddings without a model download: hashed word and character n-grams, good
//! enough to recognise a reposted or lightly edited job description, and deterministic so cache
//! keys and LSH buckets mean the same thing on every machine and every run.

use std::sync::OnceLock;

/// Turns text into a fixed-size vector whose cosine similarity tracks textual similarity.
pub trait Embedder: Send + Sync {
    fn dim(&self) -> usize;
    /// An L2-normalized vector of length `dim()` (all zeros for text without words).
    fn embed(&self, text: &str) -> Vec<f32>;
}

/// Cosine similarity; 0 when either vector is all zeros or the lengths differ.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return 0.0;
    }
    let (mut dot, mut na, mut nb) = (0.0f32, 0.0f32, 0.0f32);
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    dot / (na.sqrt() * nb.sqrt())
}

/// Feature hashing of word unigrams and bigrams and character 3–5-grams of the lowercased,
/// markup-free text, with square-root (sublinear) term frequencies. Words and characters fill
/// separate blocks, each normalized on its own so that the thousands of character n-grams
/// don't drown the word features: the cosine is
/// `word_share * cos_words + (1 - word_share) * cos_chars`.
///
/// The defaults were tuned on [`CACHE_LABELLED`](crate::cache::CACHE_LABELLED); changing them
/// (or the hashing) changes every vector, so entries stored with the old ones stop matching.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HashedNgramEmbedder {
    /// In `[0, 1]`: how much of the similarity comes from word n-grams.
    pub word_share: f32,
    /// Bigrams relative to unigrams: they tell a rewritten requirement list from a reordered one.
    pub bigram_weight: f32,
    /// Weight of every word in a sentence that reads as boilerplate (equal-opportunity
    /// statements, benefits lists), whatever its language.
    pub boilerplate_weight: f32,
    /// Multiplies the weight of the first line's words (the job title).
    pub title_weight: f32,
}

impl Default for HashedNgramEmbedder {
    fn default() -> Self {
        Self { word_share: 0.8, bigram_weight: 3.0, boilerplate_weight: 0.1, title_weight: 5.0 }
    }
}

const BLOCK: usize = 512;
// Counts are accumulated in finer buckets than the output so that sublinear tf applies to
// (nearly) single features, not to whole collision groups.
const FINE_WORDS: usize = 4096;
const FINE_CHARS: usize = 8192;
const SEED: u64 = 0x9e37_79b9_7f4a_7c15;
const TAG_UNIGRAM: u64 = 0x01;
const TAG_BIGRAM: u64 = 0x02;
const TAG_CHARS: u64 = 0x03;

impl Embedder for HashedNgramEmbedder {
    fn dim(&self) -> usize {
        2 * BLOCK
    }

    fn embed(&self, text: &str) -> Vec<f32> {
        let plain = strip_markup(text);
        let mut words = vec![0.0f32; FINE_WORDS];
        let mut chars = Box::new([0.0f32; FINE_CHARS]);
        let mut padded: Vec<u8> = Vec::new();
        let classes = class_table();
        // Reused per sentence: lowercased token bytes, and (start, end, hash, class) per token.
        let mut buf = String::new();
        let mut tokens: Vec<(usize, usize, u64, WordClass)> = Vec::new();
        // Inputs are "title line, then description" (as `analyze_job` sends them); the title
        // names the job, so two postings with different titles rarely are the same job.
        let text = plain.trim_start();
        let (title, body) = text.split_once('\n').unwrap_or((text, ""));
        let sentences = title.split(SENTENCE_ENDS).map(|s| (s, self.title_weight));
        for (sentence, boost) in sentences.chain(body.split(SENTENCE_ENDS).map(|s| (s, 1.0))) {
            buf.clear();
            tokens.clear();
            // Bigrams stay within a sentence: ones spanning two bullets change whenever the
            // bullets are reordered and say nothing about the job.
            let mut prev: Option<(u64, f32)> = None;
            let (mut content, mut boiler) = (0usize, 0usize);
            for word in sentence.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
                let start = buf.len();
                if word.is_ascii() {
                    buf.push_str(word);
                    buf[start..].make_ascii_lowercase();
                } else {
                    buf.extend(word.chars().flat_map(char::to_lowercase));
                }
                let h = hash_bytes(&buf.as_bytes()[start..], SEED);
                let class = classes.class(h);
                content += usize::from(class != WordClass::Function);
                boiler += usize::from(class == WordClass::Boilerplate);
                tokens.push((start, buf.len(), h, class));
            }
            // Sentences are classified as a whole: an equal-opportunity statement is
            // boilerplate in every word, including the ones no stop list names ("without
            // regard to"), and a translated one is recognised by its few listed words.
            let boilerplate_sentence = boiler >= 2 && boiler * 4 >= content;
            for &(start, end, h, class) in &tokens {
                let weight = match class {
                    WordClass::Function => 0.0,
                    _ if boilerplate_sentence => self.boilerplate_weight,
                    WordClass::Boilerplate => 0.3f32.min(self.boilerplate_weight * 3.0),
                    WordClass::Content => 1.0,
                } * boost;
                if weight > 0.0 {
                    add(&mut words, fmix(h ^ TAG_UNIGRAM), weight);
                    padded.clear();
                    padded.push(b' ');
                    padded.extend_from_slice(&buf.as_bytes()[start..end]);
                    padded.push(b' ');
                    char_ngrams(&padded, weight, &mut chars);
                }
                if let Some((ph, pw)) = prev {
                    // A bigram is only as informative as its better half; two function words
                    // ("of the") say nothing.
                    let bw = pw.max(weight) * if pw == 0.0 || weight == 0.0 { 0.5 } else { 1.0 };
                    if bw > 0.0 {
                        add(&mut words, fmix(ph.rotate_left(23) ^ h ^ TAG_BIGRAM), bw * self.bigram_weight);
                    }
                }
                prev = Some((h, weight));
            }
        }
        let share = self.word_share.clamp(0.0, 1.0);
        let mut out = vec![0.0f32; 2 * BLOCK];
        let (word_part, char_part) = out.split_at_mut(BLOCK);
        fold(&words, word_part, share.sqrt());
        fold(&chars[..], char_part, (1.0 - share).sqrt());
        out
    }
}

const SENTENCE_ENDS: [char; 6] = ['.', '!', '?', ';', '\n', '•'];

fn add(fine: &mut [f32], h: u64, weight: f32) {
    // Fine sizes are powers of two.
    let idx = (h as usize) & (fine.len() - 1);
    fine[idx] += weight;
}

/// Byte 3–5-grams of the token with word-boundary markers (`padded` is the token between two
/// spaces), hashed incrementally. The top bits of a multiplicative hash are well mixed, so
/// they index directly: this is the hot loop.
fn char_ngrams(padded: &[u8], weight: f32, fine: &mut [f32; FINE_CHARS]) {
    const SHIFT: u32 = 64 - FINE_CHARS.trailing_zeros();
    for start in 0..padded.len().saturating_sub(2) {
        let mut h = SEED ^ TAG_CHARS;
        for (n, &byte) in padded[start..padded.len().min(start + 5)].iter().enumerate() {
            h = (h.rotate_left(5) ^ u64::from(byte)).wrapping_mul(0x517c_c1b7_2722_0a95);
            if n >= 2 {
                fine[(h >> SHIFT) as usize] += weight;
            }
        }
    }
}

/// Sublinear tf (square root) per fine bucket, then signed folding into the output block and L2
/// normalization; the sign keeps colliding features from adding up systematically.
fn fold(fine: &[f32], out: &mut [f32], scale: f32) {
    // Fine bucket `k * BLOCK + j` folds into `j` with a sign that depends on `k` only, so the
    // inner loop is contiguous and vectorizes (sqrt(0) of the many empty buckets adds nothing).
    for (k, row) in fine.chunks_exact(BLOCK).enumerate() {
        let sign = if k.count_ones() % 2 == 0 { 1.0 } else { -1.0 };
        for (o, &w) in out.iter_mut().zip(row) {
            *o += sign * w.sqrt();
        }
    }
    let norm = out.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        let k = scale / norm;
        out.iter_mut().for_each(|x| *x *= k);
    }
}

/// FxHash-style byte hash: explicit u64 arithmetic, so it is the same on every platform.
fn hash_bytes(bytes: &[u8], seed: u64) -> u64 {
    let mut h = seed;
    for &b in bytes {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fmix(h)
}

/// MurmurHash3's finalizer: the Fx multiply leaves the low bits (our bucket index) weak.
pub(crate) fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Lowercased alphanumeric words of the text with HTML tags and entities removed; the same
/// posting as HTML and as plain text gives the same tokens.
pub fn tokenize(text: &str) -> Vec<String> {
    strip_markup(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Removes tags (also HTML that arrived entity-escaped, as Greenhouse sends it) and entities.
/// Block tags end a sentence, inline ones don't.
fn strip_markup(text: &str) -> String {
    let decoded = decode_entities(&decode_entities(text));
    let mut out = String::with_capacity(decoded.len());
    let mut rest = decoded.as_str();
    while let Some(pos) = rest.find('<') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let is_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        // A bounded search keeps a stray "<" in prose from swallowing the rest of the text.
        match after.char_indices().take(2000).find(|&(_, c)| c == '>') {
            Some((end, _)) if is_tag => {
                out.push(if is_block_tag(&after[..end]) { '\n' } else { ' ' });
                rest = &after[end + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_block_tag(tag: &str) -> bool {
    const BLOCK_TAGS: [&str; 16] =
        ["p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "section", "table"];
    let name = tag.trim_start_matches('/');
    let end = name.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(name.len());
    BLOCK_TAGS.iter().any(|t| t.eq_ignore_ascii_case(&name[..end]))
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let end = after.char_indices().take(12).find(|&(_, c)| c == ';').map(|(i, _)| i);
        let decoded = end.and_then(|end| entity(&after[..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        // Every other named entity is punctuation for our purposes (rsquo, ndash, hellip...).
        _ if name.chars().all(|c| c.is_ascii_alphanumeric()) && !name.is_empty() => Some(' '),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordClass {
    Function,
    Boilerplate,
    Content,
}

/// Function words carry no topic; boilerplate vocabulary (equal-opportunity statements,
/// benefits lists, agency disclaimers) appears in every posting of a company and in many of
/// every company, so it must not make two different jobs look alike.
///
/// Keyed by the token hash the embedder computes anyway; open addressing with linear probing,
/// at most a quarter full, so a lookup is one or two probes.
struct ClassTable(Vec<(u64, WordClass)>);

const CLASS_SLOTS: usize = 2048;

impl ClassTable {
    fn class(&self, hash: u64) -> WordClass {
        let mut i = hash as usize & (CLASS_SLOTS - 1);
        loop {
            match self.0.get(i) {
                Some(&(h, class)) if h == hash => return class,
                Some(&(h, _)) if h != 0 => i = (i + 1) & (CLASS_SLOTS - 1),
                _ => return WordClass::Content,
            }
        }
    }
}

fn class_table() -> &'static ClassTable {
    static TABLE: OnceLock<ClassTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = vec![(0u64, WordClass::Content); CLASS_SLOTS];
        let listed = FUNCTION_WORDS
            .split_whitespace()
            .map(|w| (w, WordClass::Function))
            .chain(BOILERPLATE_WORDS.split_whitespace().map(|w| (w, WordClass::Boilerplate)));
        for (word, class) in listed {
            let h = hash_bytes(word.as_bytes(), SEED);
            let mut i = h as usize & (CLASS_SLOTS - 1);
            while table[i].0 != 0 && table[i].0 != h {
                i = (i + 1) & (CLASS_SLOTS - 1);
            }
            table[i] = (h, class);
        }
        ClassTable(table)
    })
}

// English, German, French and Spanish function words, and URL debris.
const FUNCTION_WORDS: &str = "\
    a about all also am an and any are as at au auf be been being both but by can com could d das de del \
    der des did die do does du e each el en es est et etc for from had has have he her here his how http \
    https i if im in into is ist it its just la las le les ll los m may me mit more most must my nous o \
    of on only or our ours par para pour que re s she should sie so such t than that the their them then \
    there these they this those to too um un und une us ve very vous was we were what when where which \
    while who whom why will wir with within would www y you your yours zu";

// Equal-opportunity, benefits, hiring-process and agency-disclaimer vocabulary (some translated).
const BOILERPLATE_WORDS: &str = "\
    401 401k accessibility accessible accommodation accommodations adjustments affirmative age agencies \
    agency altersvorsorge ancestry applicant applicants application applications apply applying \
    arbeitgeber behinderung belonging benefit benefits berücksichtigt bewerber bewerberinnen bonus \
    candidacy candidatas candidate candidates candidatures chancengleichheit chances characteristic \
    characteristics citizenship color colour competitive consideration dental dienstwagen disabilities \
    disability discapacidad discriminación discriminate discrimination diverse diversity eeo eeoc \
    empleador employer employeur employment equal expression fees gehalt gender genetic geschlecht gym \
    género handicap health healthcare herkunft holiday holidays identity identität igualdad imposter \
    inclusion inclusive insurance interview interviewing interviews law leave marital maternity medical \
    national oportunidades opportunities opportunity orientación orientation origen origin origine paid \
    parental paternity pension perks pregnancy privacy protected pto qualified race raza reasonable \
    recruiter recruiters recruiting recruitment regardless religion religión retirement scam scams sex \
    sexe sexual sexuelle sexueller sponsor sponsorship status stipend underrepresented unsolicited \
    urlaub vacation veteran veterans visa visas vision wellbeing wellness âge égalité";

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn stop_lists_classify_words() {
        let class = |w: &str| class_table().class(hash_bytes(w.as_bytes(), SEED));
        assert_eq!(class("the"), WordClass::Function);
        assert_eq!(class("veteran"), WordClass::Boilerplate);
        assert_eq!(class("kotlin"), WordClass::Content);
        let boilerplate: Vec<&str> = BOILERPLATE_WORDS.split_whitespace().collect();
        assert!(FUNCTION_WORDS.split_whitespace().all(|w| !boilerplate.contains(&w)));
        assert!(FUNCTION_WORDS.split_whitespace().count() + boilerplate.len() < CLASS_SLOTS / 4);
    }

    #[test]
    fn markup_and_entities_disappear() {
        let html = "&lt;p&gt;Rust &amp;amp; Go&lt;/p&gt;<br/>You&rsquo;ll a < b";
        assert_eq!(tokenize(html), ["rust", "go", "you", "ll", "a", "b"]);
    }

    #[test]
    fn vectors_are_normalized_and_empty_text_is_zero() {
        let e = HashedNgramEmbedder::default();
        let v = e.embed("Senior Rust engineer, distributed systems");
        assert_eq!(v.len(), e.dim());
        let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "{norm}");
        assert!(e.embed("  ... <br/> ").iter().all(|&x| x == 0.0));
        assert!((cosine(&v, &v) - 1.0).abs() < 1e-5);
    }
}
