//! A parsed inventory: every value together with its place in the text.
//!
//! Rules read values and findings point at them, so a linter needs both the value and its
//! span. `serde_json::Value` has no positions (finding them meant a second scan of the
//! text) and builds a B-tree and a `String` per member. A [`Document`] is a flat table
//! built in one pass by [`super::parse`]: values in document order, each with its span,
//! its parent and its kind; strings without escapes are slices of the text.
//!
//! [`Node`] is a cheap, copyable handle on one value, with the accessors the engine needs
//! (`get`, `as_str`, `items`, `members`, `span`, `pointer`, …). Objects keep their members
//! in document order.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

use serde_json::{Number, Value};

use super::FileText;
use super::pointer;
use super::spans::Span;

/// Marks a value that is not in the text (added by configuration) and the root's parent.
const NONE: u32 = u32::MAX;

/// Every value of one JSON text, in document order (a value's children come after it).
pub struct Document {
    text: FileText,
    slots: Vec<Slot>,
    /// Elements of arrays, as slot numbers: each array's are contiguous.
    items: Vec<u32>,
    /// Members of objects: each object's are contiguous, in document order.
    members: Vec<Member>,
    /// Strings that are not a slice of the text: those with escapes, and added values.
    owned: Vec<Box<str>>,
    numbers: Vec<Number>,
    /// For each object of more than [`SCANNED`] members (by its first member): its members
    /// sorted by name, so that a lookup in an object of a million members is a binary
    /// search, not a scan.
    sorted: HashMap<u32, Box<[u32]>>,
}

/// Objects up to this many members are searched member by member (inventories' are).
pub(super) const SCANNED: usize = 32;

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // The values may hold passwords: a debug print shows only the shape.
        f.debug_struct("Document")
            .field("values", &self.slots.len())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Slot {
    pub start: u32,
    pub end: u32,
    /// Start of the member name (`"key"`) when the value is an object member, else `NONE`.
    pub key_start: u32,
    pub parent: u32,
    pub raw: Raw,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Raw {
    Null,
    Bool(bool),
    Number(u32),
    String(Str),
    Array { first: u32, len: u32 },
    Object { first: u32, len: u32 },
}

/// A string: a range of the text (without quotes), or an entry of `owned`.
#[derive(Debug, Clone, Copy)]
pub(super) enum Str {
    Text { start: u32, end: u32 },
    Owned(u32),
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Member {
    /// [`fingerprint`] of the name: most lookups are decided by it alone.
    pub fingerprint: u64,
    pub key: Str,
    pub value: u32,
}

/// A member name's length and first seven bytes in one number. Two names with different
/// fingerprints differ; names of up to seven bytes (most of an inventory's) are equal
/// exactly when their fingerprints are.
pub(crate) fn fingerprint(name: &[u8]) -> u64 {
    const HEAD: u64 = 0x00ff_ffff_ffff_ffff;
    let len = (name.len().min(255) as u64) << 56;
    if let Some(eight) = name.first_chunk::<8>() {
        return (u64::from_le_bytes(*eight) & HEAD) | len;
    }
    // Shorter names in at most three loads (a copy of a variable length would be a call).
    let (mut head, mut at) = (0u64, 0usize);
    if let Some(four) = name.first_chunk::<4>() {
        head = u64::from(u32::from_le_bytes(*four));
        at = 4;
    }
    if let Some(two) = name[at..].first_chunk::<2>() {
        head |= u64::from(u16::from_le_bytes(*two)) << (8 * at);
        at += 2;
    }
    if let Some(&one) = name.get(at) {
        head |= u64::from(one) << (8 * at);
    }
    head | len
}

/// Where a member name was last found in its object (its position among the members), for
/// [`Node::get_hinted`]: a guess that is checked, so it may be shared freely between
/// threads and documents. A compiled rule path keeps one per name.
#[derive(Debug, Default)]
pub struct Hint(AtomicU32);

impl Clone for Hint {
    fn clone(&self) -> Hint {
        Hint(AtomicU32::new(self.0.load(Relaxed)))
    }
}

/// One value of a [`Document`].
#[derive(Clone, Copy)]
pub struct Node<'d> {
    doc: &'d Document,
    id: u32,
}

/// What a value is, with its contents.
#[derive(Clone, Copy)]
pub enum Kind<'d> {
    Null,
    Bool(bool),
    Number(&'d Number),
    String(&'d str),
    Array(Array<'d>),
    Object(Object<'d>),
}

/// The elements of an array.
#[derive(Clone, Copy)]
pub struct Array<'d> {
    doc: &'d Document,
    ids: &'d [u32],
}

/// The members of an object, in document order.
#[derive(Clone, Copy)]
pub struct Object<'d> {
    doc: &'d Document,
    first: u32,
    members: &'d [Member],
}

/// The builder's side of a document: [`super::parse`] fills the tables.
pub(super) struct Tables {
    pub slots: Vec<Slot>,
    pub items: Vec<u32>,
    pub members: Vec<Member>,
    pub owned: Vec<Box<str>>,
    pub numbers: Vec<Number>,
    pub sorted: HashMap<u32, Box<[u32]>>,
}

impl Document {
    pub(super) fn new(text: FileText, tables: Tables) -> Document {
        Document {
            text,
            slots: tables.slots,
            items: tables.items,
            members: tables.members,
            owned: tables.owned,
            numbers: tables.numbers,
            sorted: tables.sorted,
        }
    }

    pub fn root(&self) -> Node<'_> {
        Node { doc: self, id: 0 }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// How many values the document has: their [`Node::id`]s are below.
    pub fn value_count(&self) -> usize {
        self.slots.len()
    }

    /// The value at a JSON Pointer (RFC 6901), like `serde_json::Value::pointer`.
    pub fn pointer(&self, pointer: &str) -> Option<Node<'_>> {
        if pointer.is_empty() {
            return Some(self.root());
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/').try_fold(self.root(), |node, token| {
            let token: Cow<str> = if token.contains('~') {
                token.replace("~1", "/").replace("~0", "~").into()
            } else {
                token.into()
            };
            node.child(&token)
        })
    }

    #[inline]
    fn str(&self, s: Str) -> &str {
        match s {
            Str::Text { start, end } => &self.text[start as usize..end as usize],
            Str::Owned(i) => &self.owned[i as usize],
        }
    }

    fn member(&self, first: u32, len: u32, key: &str) -> Option<Node<'_>> {
        self.member_by(first, len, key, fingerprint(key.as_bytes()))
    }

    /// [`Document::member`], with the key's [`fingerprint`] already computed.
    fn member_by(&self, first: u32, len: u32, key: &str, wanted: u64) -> Option<Node<'_>> {
        if len as usize > SCANNED
            && let Some(order) = self.sorted.get(&first)
        {
            let i = order
                .binary_search_by(|&m| self.str(self.members[m as usize].key).cmp(key))
                .ok()?;
            let id = self.members[order[i] as usize].value;
            return Some(Node { doc: self, id });
        }
        self.find(
            &self.members[first as usize..(first + len) as usize],
            key,
            wanted,
        )
    }

    /// The innermost loop of evaluation: fingerprints first, bytes only past seven.
    fn find<'d>(&'d self, members: &[Member], key: &str, wanted: u64) -> Option<Node<'d>> {
        let at = self.position(members, key, wanted)?;
        Some(Node {
            doc: self,
            id: members[at].value,
        })
    }

    /// Where the member named `key` (with [`fingerprint`] `wanted`) is among `members`.
    #[inline]
    fn position(&self, members: &[Member], key: &str, wanted: u64) -> Option<usize> {
        members.iter().position(|m| self.is_named(m, key, wanted))
    }

    /// Is `m` named `key`? Fingerprints decide names of up to seven bytes alone.
    #[inline]
    fn is_named(&self, m: &Member, key: &str, wanted: u64) -> bool {
        m.fingerprint == wanted && (key.len() <= 7 || self.str(m.key) == key)
    }

    /// [`Document::member_by`], trying first the member at position `hint` of the object:
    /// where the caller last found the name. The items a rule tests are objects of one
    /// shape (every account has its `status` at the same place), so the guess is nearly
    /// always right, and the scan of the members before it is saved. Names are unique in
    /// an object (the parser refuses a repeated one, [`Document::add_strings`] replaces),
    /// so the member found at the guess is the one a scan would find. A wrong guess scans
    /// as [`Document::find`] does and records where the name was found.
    fn member_hinted(
        &self,
        first: u32,
        len: u32,
        key: &str,
        wanted: u64,
        hint: &Hint,
    ) -> Option<Node<'_>> {
        if len as usize > SCANNED {
            return self.member_by(first, len, key, wanted);
        }
        let members = &self.members[first as usize..(first + len) as usize];
        let guess = hint.0.load(Relaxed) as usize;
        let at = match members.get(guess) {
            Some(m) if self.is_named(m, key, wanted) => guess,
            _ => {
                let at = self.position(members, key, wanted)?;
                hint.0.store(at as u32, Relaxed);
                at
            }
        };
        Some(Node {
            doc: self,
            id: members[at].value,
        })
    }

    /// Adds (or replaces) a member holding a list of strings to the object `object`: a
    /// value from the configuration, with no place in the text. Returns false when
    /// `object` is not an object.
    pub fn add_strings(&mut self, object: u32, key: &str, strings: &[String]) -> bool {
        let Raw::Object { first, len } = self.slots[object as usize].raw else {
            return false;
        };
        let array = self.slots.len() as u32;
        let item_first = self.items.len() as u32;
        self.slots.push(Slot {
            start: NONE,
            end: NONE,
            key_start: NONE,
            parent: object,
            raw: Raw::Array {
                first: item_first,
                len: strings.len() as u32,
            },
        });
        for s in strings {
            let id = self.slots.len() as u32;
            self.items.push(id);
            self.owned.push(s.as_str().into());
            self.slots.push(Slot {
                start: NONE,
                end: NONE,
                key_start: NONE,
                parent: array,
                raw: Raw::String(Str::Owned(self.owned.len() as u32 - 1)),
            });
        }
        // The object's members move to the end of the table, with the new one.
        let new_first = self.members.len() as u32;
        for i in first..first + len {
            let m = self.members[i as usize];
            if self.str(m.key) != key {
                self.members.push(m);
            }
        }
        self.owned.push(key.into());
        self.members.push(Member {
            fingerprint: fingerprint(key.as_bytes()),
            key: Str::Owned(self.owned.len() as u32 - 1),
            value: array,
        });
        let new_len = self.members.len() as u32 - new_first;
        self.slots[object as usize].raw = Raw::Object {
            first: new_first,
            len: new_len,
        };
        if new_len as usize > SCANNED {
            let order = sort_members(&self.members, new_first, new_len, |k| self.str(k));
            self.sorted.insert(new_first, order);
        }
        true
    }
}

impl<'d> Node<'d> {
    #[inline]
    fn slot(self) -> &'d Slot {
        &self.doc.slots[self.id as usize]
    }

    fn at(self, id: u32) -> Node<'d> {
        Node { doc: self.doc, id }
    }

    /// A number that tells this value from the others of its document.
    pub fn id(self) -> u32 {
        self.id
    }

    pub fn document(self) -> &'d Document {
        self.doc
    }

    #[inline]
    pub fn kind(self) -> Kind<'d> {
        let doc = self.doc;
        match self.slot().raw {
            Raw::Null => Kind::Null,
            Raw::Bool(b) => Kind::Bool(b),
            Raw::Number(i) => Kind::Number(&doc.numbers[i as usize]),
            Raw::String(s) => Kind::String(doc.str(s)),
            Raw::Array { first, len } => Kind::Array(Array {
                doc,
                ids: &doc.items[first as usize..(first + len) as usize],
            }),
            Raw::Object { first, len } => Kind::Object(Object {
                doc,
                first,
                members: &doc.members[first as usize..(first + len) as usize],
            }),
        }
    }

    /// What this value is, without its contents: cheaper than [`Node::kind`] where only
    /// the type matters (schema validation asks it of every value).
    #[inline]
    pub(super) fn raw(self) -> Raw {
        self.slot().raw
    }

    #[inline]
    pub fn is_null(self) -> bool {
        matches!(self.slot().raw, Raw::Null)
    }

    #[inline]
    pub fn is_container(self) -> bool {
        matches!(self.slot().raw, Raw::Array { .. } | Raw::Object { .. })
    }

    #[inline]
    pub fn as_str(self) -> Option<&'d str> {
        match self.slot().raw {
            Raw::String(s) => Some(self.doc.str(s)),
            _ => None,
        }
    }

    #[inline]
    pub fn as_bool(self) -> Option<bool> {
        match self.slot().raw {
            Raw::Bool(b) => Some(b),
            _ => None,
        }
    }

    #[inline]
    pub fn as_number(self) -> Option<&'d Number> {
        match self.slot().raw {
            Raw::Number(i) => Some(&self.doc.numbers[i as usize]),
            _ => None,
        }
    }

    pub fn as_f64(self) -> Option<f64> {
        self.as_number().and_then(Number::as_f64)
    }

    // Not through `kind`: a value of another kind builds nothing (schema validation asks
    // every value whether it is an object).
    #[inline]
    pub fn as_array(self) -> Option<Array<'d>> {
        match self.slot().raw {
            Raw::Array { first, len } => Some(Array {
                doc: self.doc,
                ids: &self.doc.items[first as usize..(first + len) as usize],
            }),
            _ => None,
        }
    }

    #[inline]
    pub fn as_object(self) -> Option<Object<'d>> {
        match self.slot().raw {
            Raw::Object { first, len } => Some(Object {
                doc: self.doc,
                first,
                members: &self.doc.members[first as usize..(first + len) as usize],
            }),
            _ => None,
        }
    }

    /// The member `key` of an object.
    pub fn get(self, key: &str) -> Option<Node<'d>> {
        match self.slot().raw {
            Raw::Object { first, len } => self.doc.member(first, len, key),
            _ => None,
        }
    }

    /// [`Node::get`] with the key's [`fingerprint`] already computed (a compiled rule path
    /// computes its keys' once).
    pub fn get_by(self, key: &str, fingerprint: u64) -> Option<Node<'d>> {
        match self.slot().raw {
            Raw::Object { first, len } => self.doc.member_by(first, len, key, fingerprint),
            _ => None,
        }
    }

    /// [`Node::get_by`], looking first where `hint` says the name was last found (see
    /// [`Hint`]).
    pub fn get_hinted(self, key: &str, fingerprint: u64, hint: &Hint) -> Option<Node<'d>> {
        match self.slot().raw {
            Raw::Object { first, len } => {
                self.doc.member_hinted(first, len, key, fingerprint, hint)
            }
            _ => None,
        }
    }

    /// The element at `index` of an array.
    pub fn element(self, index: usize) -> Option<Node<'d>> {
        match self.slot().raw {
            Raw::Array { first, len } if index < len as usize => {
                Some(self.at(self.doc.items[first as usize + index]))
            }
            _ => None,
        }
    }

    /// The member `token` of an object, or the element at index `token` of an array (RFC
    /// 6901: digits without a leading zero).
    pub fn child(self, token: &str) -> Option<Node<'d>> {
        match self.slot().raw {
            Raw::Object { .. } => self.get(token),
            Raw::Array { .. } => self.element(array_index(token)?),
            _ => None,
        }
    }

    /// The array or object this value is in.
    pub fn parent(self) -> Option<Node<'d>> {
        match self.slot().parent {
            NONE => None,
            p => Some(self.at(p)),
        }
    }

    /// Where the value is in the text; `None` for a value added by configuration.
    pub fn span(self) -> Option<Span> {
        let slot = self.slot();
        (slot.start != NONE).then(|| Span {
            start: slot.start as usize,
            end: slot.end as usize,
            key_start: (slot.key_start != NONE).then_some(slot.key_start as usize),
        })
    }

    /// The JSON Pointer of this value.
    pub fn pointer(self) -> String {
        let mut out = String::with_capacity(32);
        self.write_pointer(&mut out);
        out
    }

    /// Appends the pointer to `out`, from the root down (the recursion is as deep as the
    /// value, which the parser's nesting limit bounds).
    fn write_pointer(self, out: &mut String) {
        let Some(parent) = self.parent() else {
            return;
        };
        parent.write_pointer(out);
        out.push('/');
        match parent.slot().raw {
            // Values are numbered in document order (an added member comes last), so
            // elements and members are sorted by number: a binary search, even in an
            // object of a million members.
            Raw::Array { first, len } => {
                let ids = &self.doc.items[first as usize..(first + len) as usize];
                let index = ids.binary_search(&self.id).unwrap_or_default();
                push_decimal(out, index);
            }
            Raw::Object { first, len } => {
                let members = &self.doc.members[first as usize..(first + len) as usize];
                if let Ok(i) = members.binary_search_by_key(&self.id, |m| m.value) {
                    out.push_str(&pointer::escape_token(self.doc.str(members[i].key)));
                }
            }
            _ => {}
        }
    }

    /// Is this value, or one of the arrays and objects it is in, among `values` (sorted by
    /// [`Node::id`])? A binary search per level: the nesting is bounded, `values` is not.
    pub fn is_at_or_under_any(self, values: &[Node<'_>]) -> bool {
        let mut node = Some(self);
        while let Some(n) = node {
            if values.binary_search_by_key(&n.id, |v| v.id).is_ok() {
                return true;
            }
            node = n.parent();
        }
        false
    }

    /// The value as a `serde_json::Value`, for the few places that need one.
    pub fn to_value(self) -> Value {
        match self.kind() {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(b),
            Kind::Number(n) => Value::Number(n.clone()),
            Kind::String(s) => Value::String(s.to_owned()),
            Kind::Array(a) => Value::Array(a.iter().map(Node::to_value).collect()),
            Kind::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, v)| (k.to_owned(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// JSON equality with a value of a rule file (numbers compare as numbers).
    pub fn equals(self, other: &Value) -> bool {
        match (self.kind(), other) {
            (Kind::Null, Value::Null) => true,
            (Kind::Bool(a), Value::Bool(b)) => a == *b,
            (Kind::Number(a), Value::Number(b)) => a == b,
            (Kind::String(a), Value::String(b)) => a == b,
            (Kind::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.equals(y))
            }
            (Kind::Object(a), Value::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| v.equals(w)))
            }
            _ => false,
        }
    }
}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Node({})", self.id)
    }
}

/// Prints the value as compact JSON (what `serde_json::Value` prints).
impl fmt::Display for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.kind() {
            Kind::String(s) => write!(f, "{}", Value::String(s.to_owned())),
            Kind::Number(n) => write!(f, "{n}"),
            Kind::Bool(b) => write!(f, "{b}"),
            Kind::Null => f.write_str("null"),
            _ => write!(f, "{}", self.to_value()),
        }
    }
}

impl<'d> Array<'d> {
    pub fn len(self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(self) -> bool {
        self.ids.is_empty()
    }

    pub fn get(self, index: usize) -> Option<Node<'d>> {
        self.ids.get(index).map(|&id| Node { doc: self.doc, id })
    }

    pub fn iter(self) -> Items<'d> {
        Items {
            doc: self.doc,
            ids: self.ids.iter(),
        }
    }
}

impl<'d> Object<'d> {
    pub fn len(self) -> usize {
        self.members.len()
    }

    pub fn is_empty(self) -> bool {
        self.members.is_empty()
    }

    pub fn get(self, key: &str) -> Option<Node<'d>> {
        self.doc.member(self.first, self.members.len() as u32, key)
    }

    /// Members in document order, each with its name's [`fingerprint`].
    pub fn iter_fingerprinted(self) -> impl Iterator<Item = (&'d str, u64, Node<'d>)> {
        let doc = self.doc;
        self.members.iter().map(move |m| {
            let value = Node { doc, id: m.value };
            (doc.str(m.key), m.fingerprint, value)
        })
    }

    /// Members in document order.
    pub fn iter(self) -> Members<'d> {
        Members {
            doc: self.doc,
            members: self.members.iter(),
        }
    }
}

/// The elements of an array, in order.
pub struct Items<'d> {
    doc: &'d Document,
    ids: std::slice::Iter<'d, u32>,
}

impl<'d> Iterator for Items<'d> {
    type Item = Node<'d>;

    #[inline]
    fn next(&mut self) -> Option<Node<'d>> {
        let &id = self.ids.next()?;
        Some(Node { doc: self.doc, id })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ids.size_hint()
    }
}

impl ExactSizeIterator for Items<'_> {}

/// The members of an object (name and value), in document order.
pub struct Members<'d> {
    doc: &'d Document,
    members: std::slice::Iter<'d, Member>,
}

impl<'d> Iterator for Members<'d> {
    type Item = (&'d str, Node<'d>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let m = self.members.next()?;
        Some((
            self.doc.str(m.key),
            Node {
                doc: self.doc,
                id: m.value,
            },
        ))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.members.size_hint()
    }
}

impl ExactSizeIterator for Members<'_> {}

/// The positions in `members` of an object's members (`first`, `len`), sorted by name.
pub(super) fn sort_members<'s>(
    members: &[Member],
    first: u32,
    len: u32,
    name: impl Fn(Str) -> &'s str,
) -> Box<[u32]> {
    let mut order: Vec<u32> = (first..first + len).collect();
    order.sort_unstable_by(|&a, &b| {
        name(members[a as usize].key).cmp(name(members[b as usize].key))
    });
    order.into()
}

/// Appends `n` in decimal (what `to_string` writes, without the formatting machinery).
pub(crate) fn push_decimal(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[at..]).expect("ASCII digits"));
}

/// RFC 6901 array index: digits without a leading zero or a sign.
pub fn array_index(token: &str) -> Option<usize> {
    if token.is_empty()
        || (token.len() > 1 && token.starts_with('0'))
        || !token.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    token.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::parse::parse;
    use crate::inventory::spans::LineCol;
    use serde_json::json;

    fn doc(text: &str) -> Document {
        parse(std::sync::Arc::new(text.into())).unwrap().0
    }

    const TEXT: &str =
        "{\n  \"名前\": \"山田 太郎\",\n  \"a/b\": [1, {\"x\": true}],\n  \"n\": null\n}";

    #[test]
    fn every_value_has_its_span_and_its_key() {
        let (d, lines) = parse(std::sync::Arc::new(TEXT.into())).unwrap();
        let span = |p: &str| d.pointer(p).unwrap().span().unwrap();
        let lc = |offset: usize| lines.line_col(TEXT, offset);
        assert_eq!(lc(span("").start), LineCol { line: 1, column: 1 });
        assert_eq!(lc(span("/名前").start), LineCol { line: 2, column: 9 });
        assert_eq!(
            &TEXT[span("/名前").start..span("/名前").end],
            "\"山田 太郎\""
        );
        assert_eq!(
            lc(span("/a~1b/0").start),
            LineCol {
                line: 3,
                column: 11
            }
        );
        assert_eq!(
            &TEXT[span("/a~1b/1/x").start..span("/a~1b/1/x").end],
            "true"
        );
        assert_eq!(lc(span("/n").start), LineCol { line: 4, column: 8 });
        assert!(d.pointer("/missing").is_none());
        assert_eq!(
            span("/名前").key_start.map(lc),
            Some(LineCol { line: 2, column: 3 })
        );
        assert_eq!(
            span("/a~1b/0").key_start,
            None,
            "array elements have no key"
        );
        assert_eq!(lines.line_count(), 5);
    }

    #[test]
    fn escaped_keys_are_found_by_their_value() {
        let text = r#"{"\u30d1": 1, "q\"": [2], "a": "x\ty"}"#;
        let d = doc(text);
        let span = |p: &str| d.pointer(p).unwrap().span().unwrap();
        assert_eq!(&text[span("/パ").start..span("/パ").end], "1");
        assert_eq!(&text[span("/q\"/0").start..span("/q\"/0").end], "2");
        assert_eq!(d.pointer("/a").unwrap().as_str(), Some("x\ty"));
    }

    #[test]
    fn pointers_round_trip_and_parents_climb() {
        let d = doc(r#"{"a/b": {"c~d": [10, {"e": 20}]}, "": 1, "x": [0]}"#);
        for p in ["", "/a~1b", "/a~1b/c~0d", "/a~1b/c~0d/1/e", "/", "/x/0"] {
            assert_eq!(d.pointer(p).unwrap().pointer(), p);
        }
        for p in ["/x/00", "/x/-1", "/x/1", "nope", "/a~1b/c~0d/2"] {
            assert!(d.pointer(p).is_none(), "{p}");
        }
        let e = d.pointer("/a~1b/c~0d/1/e").unwrap();
        assert_eq!(e.parent().unwrap().pointer(), "/a~1b/c~0d/1");
        let (a, x) = (d.pointer("/a~1b").unwrap(), d.pointer("/x").unwrap());
        assert!(e.is_at_or_under_any(&[a]));
        assert!(e.is_at_or_under_any(&[e]));
        assert!(!e.is_at_or_under_any(&[x]));
        assert!(!e.is_at_or_under_any(&[]));
        assert!(d.root().parent().is_none());
    }

    #[test]
    fn members_keep_document_order_and_convert_to_values() {
        let text = r#"{"b": 1, "a": [true, null, "s", -2.5, 18446744073709551615]}"#;
        let d = doc(text);
        let keys: Vec<&str> = d
            .root()
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys, ["b", "a"]);
        let value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(d.root().to_value(), value);
        assert!(d.root().equals(&value));
        assert!(!d.root().equals(&json!({"b": 1})));
        assert_eq!(d.pointer("/a").unwrap().to_string(), value["a"].to_string());
    }

    #[test]
    fn added_strings_have_no_place_in_the_text() {
        let mut d = doc(r#"{"facility": {"kind": "clinic", "apps": ["old"]}}"#);
        let facility = d.pointer("/facility").unwrap().id();
        assert!(d.add_strings(facility, "apps", &["MCS".to_owned(), "Teams".to_owned()]));
        let apps = d.pointer("/facility/apps").unwrap();
        assert_eq!(apps.to_value(), json!(["MCS", "Teams"]));
        assert_eq!(apps.span(), None);
        assert_eq!(
            d.pointer("/facility/apps/1").unwrap().pointer(),
            "/facility/apps/1"
        );
        assert_eq!(
            d.pointer("/facility/kind").unwrap().as_str(),
            Some("clinic")
        );
        let kind = d.pointer("/facility/kind").unwrap().id();
        assert!(!d.add_strings(kind, "x", &[]), "not an object");
    }

    #[test]
    fn fingerprints_are_length_and_first_seven_bytes() {
        let by_loop = |name: &[u8]| {
            let mut fp = (name.len().min(255) as u64) << 56;
            for (i, &b) in name.iter().take(7).enumerate() {
                fp |= u64::from(b) << (8 * i);
            }
            fp
        };
        let long = "x".repeat(300);
        for name in [
            "",
            "a",
            "id",
            "abc",
            "name",
            "admin",
            "status",
            "antivir",
            "antivirus",
            "パスワード",
            &long,
        ] {
            assert_eq!(
                fingerprint(name.as_bytes()),
                by_loop(name.as_bytes()),
                "{name}"
            );
        }
        assert_ne!(fingerprint(b"abcdefg"), fingerprint(b"abcdefgh"));
    }

    #[test]
    fn large_objects_are_searched_by_name() {
        let members: Vec<String> = (0..500).map(|i| format!("\"k{}\": {i}", 499 - i)).collect();
        let text = format!("{{\"o\": {{{}}}, \"x\": 1}}", members.join(", "));
        let mut d = doc(&text);
        let o = d.pointer("/o").unwrap();
        for i in 0..500 {
            let v = o.get(&format!("k{i}")).unwrap();
            assert_eq!(v.as_number().unwrap().as_u64(), Some(499 - i));
            assert_eq!(v.pointer(), format!("/o/k{i}"));
        }
        assert!(o.get("k500").is_none() && o.get("").is_none());
        let id = o.id();
        assert!(d.add_strings(id, "k7", &["new".to_owned()]));
        let o = d.pointer("/o").unwrap();
        assert_eq!(o.as_object().unwrap().len(), 500);
        assert_eq!(o.get("k7").unwrap().to_value(), json!(["new"]));
        assert_eq!(o.get("k8").unwrap().to_value(), json!(491));
        let duplicate = format!("{{{}, \"k250\": 0}}", members.join(", "));
        assert!(parse(duplicate.into()).is_err());
    }

    #[test]
    fn debug_output_shows_no_values() {
        let d = doc(r#"{"password": "hunter22"}"#);
        assert!(!format!("{d:?}").contains("hunter22"));
        assert!(!format!("{:?}", d.root()).contains("hunter22"));
    }
}
