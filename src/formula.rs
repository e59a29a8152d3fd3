//! Column formulas such as `gastado / aprobado * 100` or `share(monto)`, in
//! a grammar of our own: numbers, column ids, `+ - * /`, parentheses and two
//! aggregates over the table, `sum(col)` and `share(col)` (= col / sum(col)
//! × 100). A formula is parsed once into a tree; every value is a float so
//! that `/` never truncates. Errors carry the byte offset of the character
//! where they arise, so a diagnostic can point at it in the file.
//!
//! The work is bounded for any input: a formula longer than [`MAX_LEN`]
//! bytes or nested deeper than [`MAX_DEPTH`] is refused before it can
//! exhaust the stack or take long to evaluate.

/// Longest formula accepted, in bytes. Real ones are under a hundred.
pub(crate) const MAX_LEN: usize = 1_000;
/// Deepest nesting of parentheses, signs and aggregates accepted.
pub(crate) const MAX_DEPTH: usize = 40;

/// What is wrong with a formula's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A character that is no part of the grammar (`>`, `=`, `^`, `,` …).
    UnexpectedChar(char),
    /// Something else where a number, a column or `(` was expected.
    ExpectedOperand,
    /// Something else where an operator or the end was expected.
    ExpectedOperator,
    /// A `(` without its `)`.
    UnclosedParen,
    /// A `)` without its `(`.
    UnopenedParen,
    /// `name(` where name is neither `sum` nor `share`.
    UnknownFunction(String),
    /// `sum(` or `share(` not followed by one column id and `)`.
    AggregateArgument(String),
    /// A number that does not parse (`1.2.3`).
    BadNumber(String),
    /// The text is empty.
    Empty,
    /// Longer than [`MAX_LEN`].
    TooLong { limit: usize },
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep { limit: usize },
}

/// A problem and where it is: a byte offset into the formula and a length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub problem: Problem,
    pub offset: usize,
    pub len: usize,
}

/// A reference to a column inside a formula, with its byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnRef {
    pub name: String,
    pub offset: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Num(f64),
    Col(String),
    Sum(String),
    Share(String),
    Neg(Box<Expr>),
    Bin(Op, Box<Expr>, Box<Expr>),
}

/// A parsed formula and the columns it reads. Stored (in the build cache)
/// as its source, parsed again when read.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Formula {
    source: String,
    expr: Expr,
    refs: Vec<ColumnRef>,
}

impl TryFrom<String> for Formula {
    type Error = String;
    fn try_from(source: String) -> Result<Self, String> {
        Formula::parse(&source).map_err(|e| format!("{:?} at {}", e.problem, e.offset))
    }
}

impl From<Formula> for String {
    fn from(f: Formula) -> String {
        f.source
    }
}

impl Formula {
    /// Parses `source`, or says what is wrong and where.
    pub fn parse(source: &str) -> Result<Self, SyntaxError> {
        if source.len() > MAX_LEN {
            return Err(SyntaxError { problem: Problem::TooLong { limit: MAX_LEN }, offset: MAX_LEN, len: 1 });
        }
        let tokens = tokenize(source)?;
        let mut parser = Parser { tokens: &tokens, pos: 0, refs: Vec::new(), end: source.len() };
        if tokens.is_empty() {
            return Err(SyntaxError { problem: Problem::Empty, offset: 0, len: 1 });
        }
        let expr = parser.expr(0)?;
        if let Some(tok) = parser.peek() {
            let problem = if tok.kind == Tok::Close { Problem::UnopenedParen } else { Problem::ExpectedOperator };
            return Err(SyntaxError { problem, offset: tok.offset, len: tok.len });
        }
        Ok(Formula { source: source.to_string(), expr, refs: parser.refs })
    }

    /// Every column reference in order of appearance, with its offset.
    pub fn references(&self) -> &[ColumnRef] {
        &self.refs
    }

    /// The distinct column ids the formula reads, sorted.
    pub fn variables(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.refs.iter().map(|r| r.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The formula as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluates with `value(id)` for a column's figure in this row and
    /// `sum(id)` for its sum over the table; None when a figure is missing
    /// or the result is not a finite number (e.g. division by zero).
    pub fn eval(&self, value: impl Fn(&str) -> Option<f64>, sum: impl Fn(&str) -> Option<f64>) -> Option<f64> {
        let result = eval(&self.expr, &value, &sum)?;
        result.is_finite().then_some(result)
    }
}

fn eval(expr: &Expr, value: &dyn Fn(&str) -> Option<f64>, sum: &dyn Fn(&str) -> Option<f64>) -> Option<f64> {
    let v = match expr {
        Expr::Num(n) => *n,
        Expr::Col(name) => value(name)?,
        Expr::Sum(name) => sum(name)?,
        Expr::Share(name) => {
            let total = sum(name)?;
            if total == 0.0 {
                return None;
            }
            value(name)? / total * 100.0
        }
        Expr::Neg(inner) => -eval(inner, value, sum)?,
        Expr::Bin(op, a, b) => {
            let (a, b) = (eval(a, value, sum)?, eval(b, value, sum)?);
            match op {
                Op::Add => a + b,
                Op::Sub => a - b,
                Op::Mul => a * b,
                Op::Div if b == 0.0 => return None,
                Op::Div => a / b,
            }
        }
    };
    v.is_finite().then_some(v)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Op(Op),
    Open,
    Close,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Tok,
    offset: usize,
    len: usize,
}

fn tokenize(source: &str) -> Result<Vec<Token>, SyntaxError> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        let kind = match b {
            b' ' | b'\t' | b'\n' => {
                i += 1;
                continue;
            }
            b'+' => Tok::Op(Op::Add),
            b'-' => Tok::Op(Op::Sub),
            b'*' => Tok::Op(Op::Mul),
            b'/' => Tok::Op(Op::Div),
            b'(' => Tok::Open,
            b')' => Tok::Close,
            b'0'..=b'9' | b'.' => {
                while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                    i += 1;
                }
                let text = &source[start..i];
                let n = text.parse::<f64>().map_err(|_| SyntaxError {
                    problem: Problem::BadNumber(text.to_string()),
                    offset: start,
                    len: i - start,
                })?;
                tokens.push(Token { kind: Tok::Num(n), offset: start, len: i - start });
                continue;
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                tokens.push(Token { kind: Tok::Ident(source[start..i].to_string()), offset: start, len: i - start });
                continue;
            }
            _ => {
                let c = source[i..].chars().next().unwrap_or('?');
                return Err(SyntaxError { problem: Problem::UnexpectedChar(c), offset: i, len: c.len_utf8() });
            }
        };
        tokens.push(Token { kind, offset: start, len: 1 });
        i += 1;
    }
    Ok(tokens)
}

struct Parser<'a> {
    tokens: &'a [Token],
    pos: usize,
    refs: Vec<ColumnRef>,
    end: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let tok = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        tok
    }

    fn error_here(&self, problem: Problem) -> SyntaxError {
        match self.peek() {
            Some(t) => SyntaxError { problem, offset: t.offset, len: t.len },
            None => SyntaxError { problem, offset: self.end, len: 1 },
        }
    }

    fn check_depth(&self, depth: usize) -> Result<(), SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error_here(Problem::TooDeep { limit: MAX_DEPTH }));
        }
        Ok(())
    }

    /// expr := term (('+' | '-') term)*, left to right, iteratively so that
    /// a long sum does not recurse.
    fn expr(&mut self, depth: usize) -> Result<Expr, SyntaxError> {
        self.check_depth(depth)?;
        let mut left = self.term(depth)?;
        while let Some(Token { kind: Tok::Op(op @ (Op::Add | Op::Sub)), .. }) = self.peek() {
            let op = *op;
            self.pos += 1;
            let right = self.term(depth)?;
            left = Expr::Bin(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    /// term := factor (('*' | '/') factor)*
    fn term(&mut self, depth: usize) -> Result<Expr, SyntaxError> {
        let mut left = self.factor(depth)?;
        while let Some(Token { kind: Tok::Op(op @ (Op::Mul | Op::Div)), .. }) = self.peek() {
            let op = *op;
            self.pos += 1;
            let right = self.factor(depth)?;
            left = Expr::Bin(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    /// factor := ('-' | '+') factor | number | column | aggregate | '(' expr ')'
    fn factor(&mut self, depth: usize) -> Result<Expr, SyntaxError> {
        self.check_depth(depth)?;
        let Some(tok) = self.peek().cloned() else {
            return Err(self.error_here(Problem::ExpectedOperand));
        };
        match tok.kind {
            Tok::Op(Op::Sub) => {
                self.pos += 1;
                Ok(Expr::Neg(Box::new(self.factor(depth + 1)?)))
            }
            Tok::Op(Op::Add) => {
                self.pos += 1;
                self.factor(depth + 1)
            }
            Tok::Num(n) => {
                self.pos += 1;
                Ok(Expr::Num(n))
            }
            Tok::Open => {
                self.pos += 1;
                let inner = self.expr(depth + 1)?;
                match self.next() {
                    Some(Token { kind: Tok::Close, .. }) => Ok(inner),
                    _ => Err(SyntaxError { problem: Problem::UnclosedParen, offset: tok.offset, len: 1 }),
                }
            }
            Tok::Ident(name) => {
                self.pos += 1;
                if matches!(self.peek(), Some(Token { kind: Tok::Open, .. })) {
                    return self.aggregate(name, tok.offset, tok.len);
                }
                self.refs.push(ColumnRef { name: name.clone(), offset: tok.offset });
                Ok(Expr::Col(name))
            }
            Tok::Close => Err(self.error_here(Problem::UnopenedParen)),
            Tok::Op(_) => Err(self.error_here(Problem::ExpectedOperand)),
        }
    }

    /// `sum(col)` or `share(col)`: the name was read, the `(` is next.
    fn aggregate(&mut self, name: String, offset: usize, len: usize) -> Result<Expr, SyntaxError> {
        let make: fn(String) -> Expr = match name.as_str() {
            "sum" => Expr::Sum,
            "share" => Expr::Share,
            _ => return Err(SyntaxError { problem: Problem::UnknownFunction(name), offset, len }),
        };
        self.pos += 1;
        let column = match self.next() {
            Some(Token { kind: Tok::Ident(col), offset, .. }) => ColumnRef { name: col, offset },
            _ => {
                self.pos -= 1;
                return Err(self.error_here(Problem::AggregateArgument(name)));
            }
        };
        if !matches!(self.next(), Some(Token { kind: Tok::Close, .. })) {
            self.pos -= 1;
            return Err(self.error_here(Problem::AggregateArgument(name)));
        }
        let expr = make(column.name.clone());
        self.refs.push(column);
        Ok(expr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(name: &str) -> Option<f64> {
        match name {
            "a" => Some(1.0),
            "b" => Some(3.0),
            "z" => Some(0.0),
            _ => None,
        }
    }

    fn sums(name: &str) -> Option<f64> {
        match name {
            "a" => Some(4.0),
            "b" => Some(12.0),
            "z" => Some(0.0),
            _ => None,
        }
    }

    #[test]
    fn evaluates_the_grammar_with_float_division_and_precedence() {
        let cases: &[(&str, Option<f64>)] = &[
            ("a / b * 100", Some(100.0 / 3.0)),
            ("a + b * 2", Some(7.0)),
            ("(a + b) * 2", Some(8.0)),
            ("a - b - 1", Some(-3.0)),
            ("-a + -(-b)", Some(2.0)),
            ("2.5 * 2", Some(5.0)),
            ("sum(b)", Some(12.0)),
            ("share(a)", Some(25.0)),
            ("b / sum(b) * 100", Some(25.0)),
            ("a / z", None),
            ("share(z)", None),
            ("missing + 1", None),
        ];
        for (source, want) in cases {
            let got = Formula::parse(source).expect(source).eval(values, sums);
            match (got, want) {
                (Some(g), Some(w)) => assert!((g - w).abs() < 1e-9, "{source}: {g} != {w}"),
                _ => assert_eq!(got, *want, "{source}"),
            }
        }
    }

    #[test]
    fn lists_the_columns_it_reads_with_their_offsets() {
        let f = Formula::parse("gastado / aprobado * 100 + share(gastado)").expect("parse");
        assert_eq!(f.variables(), ["aprobado", "gastado"]);
        let offsets: Vec<usize> = f.references().iter().map(|r| r.offset).collect();
        assert_eq!(offsets, [0, 10, 33]);
    }

    #[test]
    fn errors_point_at_the_character_where_they_arise() {
        let cases: &[(&str, Problem, usize)] = &[
            ("b > 1", Problem::UnexpectedChar('>'), 2),
            ("a = 1", Problem::UnexpectedChar('='), 2),
            ("a ^ 2", Problem::UnexpectedChar('^'), 2),
            ("a + (b", Problem::UnclosedParen, 4),
            ("a + b)", Problem::UnopenedParen, 5),
            ("a +", Problem::ExpectedOperand, 3),
            ("a b", Problem::ExpectedOperator, 2),
            ("* a", Problem::ExpectedOperand, 0),
            ("max(a)", Problem::UnknownFunction("max".into()), 0),
            ("max(a, b)", Problem::UnexpectedChar(','), 5),
            ("sum(a + b)", Problem::AggregateArgument("sum".into()), 6),
            ("share()", Problem::AggregateArgument("share".into()), 6),
            ("1.2.3 + a", Problem::BadNumber("1.2.3".into()), 0),
            ("  ", Problem::Empty, 0),
        ];
        for (source, problem, offset) in cases {
            let err = Formula::parse(source).expect_err(source);
            assert_eq!((&err.problem, err.offset), (problem, *offset), "{source}");
        }
    }

    #[test]
    fn hostile_formulas_are_refused_quickly_without_exhausting_the_stack() {
        let started = std::time::Instant::now();
        let terms = vec!["a"; 60_000].join("+");
        let nested = format!("{}a{}", "(".repeat(50_000), ")".repeat(50_000));
        let signs = format!("{}a", "-".repeat(20_000));
        for source in [&terms, &nested, &signs] {
            assert_eq!(Formula::parse(source).expect_err("too long").problem, Problem::TooLong { limit: MAX_LEN });
        }
        let deep = format!("{}a{}", "(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1));
        let err = Formula::parse(&deep).expect_err("too deep");
        assert_eq!((err.problem, err.offset), (Problem::TooDeep { limit: MAX_DEPTH }, MAX_DEPTH + 1));
        let many_signs = format!("{}a", "-".repeat(MAX_DEPTH + 5));
        assert_eq!(Formula::parse(&many_signs).expect_err("signs").problem, Problem::TooDeep { limit: MAX_DEPTH });
        let long_sum = vec!["a"; 400].join("+");
        assert_eq!(Formula::parse(&long_sum).expect("a long flat sum is fine").eval(values, sums), Some(400.0));
        assert!(started.elapsed().as_secs() < 2, "took {:?}", started.elapsed());
    }

    #[test]
    fn round_trips_through_its_source_for_the_cache() {
        let f = Formula::parse("share(a)").expect("parse");
        let back = Formula::try_from(String::from(f.clone())).expect("parse again");
        assert_eq!(back.source(), "share(a)");
        assert!(Formula::try_from("a +".to_string()).is_err());
    }
}
