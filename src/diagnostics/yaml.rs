//! What cuenta says about the YAML of a front matter that does not read:
//! its syntax, the shapes of values, and the limits that keep work bounded.
//! Worded from what the editor wrote, in Spanish and English.

use super::Lang;

/// The shape of a YAML value, as a message names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Text,
    Number,
    WholeNumber,
    /// `true` or `false`.
    YesNo,
    List,
    Mapping,
    /// `~` or nothing.
    Empty,
}

impl Shape {
    fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Shape::Text, Lang::Es) => "un texto",
            (Shape::Text, Lang::En) => "a text",
            (Shape::Number, Lang::Es) => "un número",
            (Shape::Number, Lang::En) => "a number",
            (Shape::WholeNumber, Lang::Es) => "un número entero",
            (Shape::WholeNumber, Lang::En) => "a whole number",
            (Shape::YesNo, Lang::Es) => "true o false",
            (Shape::YesNo, Lang::En) => "true or false",
            (Shape::List, Lang::Es) => "una lista",
            (Shape::List, Lang::En) => "a list",
            (Shape::Mapping, Lang::Es) => "campos 'nombre: valor'",
            (Shape::Mapping, Lang::En) => "'name: value' fields",
            (Shape::Empty, Lang::Es) => "un valor vacío",
            (Shape::Empty, Lang::En) => "an empty value",
        }
    }

    fn how(self, lang: Lang) -> &'static str {
        let es = lang == Lang::Es;
        match self {
            Shape::Text if es => "escriba el texto después de 'campo: '; entre comillas si empieza con un símbolo",
            Shape::Text => "write the text after 'field: '; quote it when it starts with a symbol",
            Shape::Number | Shape::WholeNumber if es => "escriba solo el número, sin '$', '%' ni puntos de miles",
            Shape::Number | Shape::WholeNumber => "write the plain number, without '$', '%' or thousands separators",
            Shape::YesNo if es => "escriba true (sí) o false (no)",
            Shape::YesNo => "write true or false",
            Shape::List if es => "una lista se escribe [a, b] o con una línea '- …' por elemento",
            Shape::List => "write a list as [a, b] or with one '- …' line per item",
            Shape::Mapping if es => "escriba un campo 'nombre: valor' por línea, con la misma sangría",
            Shape::Mapping => "write one 'name: value' field per line, with the same indentation",
            Shape::Empty if es => "quite el campo o déjelo vacío",
            Shape::Empty => "remove the field or leave it empty",
        }
    }
}

/// A front matter that does not read as YAML, or reads as the wrong shape.
#[derive(Debug, Clone, PartialEq)]
pub enum YamlMessage {
    /// A syntax error with no better explanation.
    Invalid,
    /// A `[` or `{` never closed.
    Unclosed {
        close: char,
    },
    /// A plain value starting with `%`, `@` or a backtick.
    ReservedStart {
        ch: char,
    },
    /// `type:money`.
    MissingSpace {
        key: String,
        value: String,
    },
    /// `caption: Visas: total`.
    ColonInText {
        key: String,
        text: String,
    },
    /// “text” pasted from a word processor.
    CurlyQuotes,
    TooDeep {
        limit: usize,
    },
    Anchor,
    Tag,
    ComplexKey,
    DuplicateKey {
        key: String,
        first_line: usize,
    },
    WrongType {
        expected: Option<Shape>,
        found: Shape,
    },
}

impl YamlMessage {
    /// The message and its hint, in `lang`.
    pub fn text(&self, lang: Lang) -> (String, Option<String>) {
        let es = lang == Lang::Es;
        let pick = |a: String, b: String| if es { a } else { b };
        use YamlMessage::*;
        let (message, hint) = match self {
            Invalid => (
                pick("el encabezado YAML no se puede leer aquí".into(), "the YAML front matter cannot be read here".into()),
                pick(
                    "revise la sangría y los dos puntos de esta línea y la anterior; un texto con ':' va entre comillas".into(),
                    "check the indentation and colons of this line and the one before; quote text that contains ':'".into(),
                ),
            ),
            Unclosed { close } => (
                pick(format!("falta el '{close}' que cierra esta línea"), format!("the '{close}' that closes this line is missing")),
                pick(
                    format!("agregue '{close}' al final; cada '{}' se cierra en su misma línea", opener(*close)),
                    format!("add '{close}' at the end; close each '{}' on its own line", opener(*close)),
                ),
            ),
            ReservedStart { ch } => (
                pick(
                    format!("un texto no puede empezar con {ch} sin comillas"),
                    format!("a text cannot start with {ch} without quotes"),
                ),
                pick(
                    format!("un texto que empieza con {ch} va entre comillas: \"{ch}…\""),
                    format!("quote a text that starts with {ch}: \"{ch}…\""),
                ),
            ),
            MissingSpace { key, value } => (
                pick(
                    format!("falta un espacio después de '{key}:'"),
                    format!("a space is missing after '{key}:'"),
                ),
                pick(format!("escriba '{key}: {value}'"), format!("write '{key}: {value}'")),
            ),
            ColonInText { key, text } => (
                pick(
                    "este texto tiene ':' seguido de un espacio, que YAML lee como un campo nuevo".into(),
                    "this text has ':' followed by a space, which YAML reads as a new field".into(),
                ),
                pick(
                    format!("ponga el texto entero entre comillas: {key}: \"{text}\""),
                    format!("put the whole text in quotes: {key}: \"{text}\""),
                ),
            ),
            CurlyQuotes => (
                pick(
                    "comillas tipográficas (“ ” ‘ ’), como las que pone Word".into(),
                    "typographic quotes (“ ” ‘ ’), as word processors write them".into(),
                ),
                pick(
                    "YAML solo reconoce las comillas rectas: reemplácelas por \" o '".into(),
                    "YAML only knows straight quotes: replace them with \" or '".into(),
                ),
            ),
            TooDeep { limit } => (
                pick(
                    format!("el encabezado anida más de {limit} niveles de listas o campos"),
                    format!("the front matter nests more than {limit} levels of lists or fields"),
                ),
                pick(
                    "un informe no necesita tanta anidación; revise los '[' y la sangría".into(),
                    "a report needs far less nesting; check the '[' and the indentation".into(),
                ),
            ),
            Anchor => (
                pick(
                    "el encabezado no admite anclas ni alias YAML (&nombre, *nombre)".into(),
                    "front matter does not allow YAML anchors or aliases (&name, *name)".into(),
                ),
                pick(
                    "escriba el valor completo en cada lugar; si el texto empieza con & o *, póngalo entre comillas".into(),
                    "write the whole value in each place; quote a text that starts with & or *".into(),
                ),
            ),
            Tag => (
                pick(
                    "el encabezado no admite etiquetas YAML ('!')".into(),
                    "front matter does not allow YAML tags ('!')".into(),
                ),
                pick(
                    "si el texto empieza con '!', póngalo entre comillas".into(),
                    "quote a text that starts with '!'".into(),
                ),
            ),
            ComplexKey => (
                pick("el nombre de un campo debe ser un texto".into(), "a field name must be a text".into()),
                pick("escriba 'nombre: valor'".into(), "write 'name: value'".into()),
            ),
            DuplicateKey { key, first_line } => (
                pick(
                    format!("el campo '{key}' está repetido; ya aparece en la línea {first_line}"),
                    format!("field '{key}' is repeated; it first appears on line {first_line}"),
                ),
                pick("deje uno solo de los dos".into(), "keep only one of them".into()),
            ),
            WrongType { expected: Some(expected), found } => (
                pick(
                    format!("aquí va {}, no {}", expected.name(lang), found.name(lang)),
                    format!("{} goes here, not {}", expected.name(lang), found.name(lang)),
                ),
                expected.how(lang).to_string(),
            ),
            WrongType { expected: None, found } => (
                pick(
                    format!("{} no sirve en este lugar", found.name(lang)),
                    format!("{} does not fit here", found.name(lang)),
                ),
                pick(
                    "revise el valor con docs/format.md".into(),
                    "check the value against docs/en/format.md".into(),
                ),
            ),
        };
        (message, Some(hint))
    }
}

fn opener(close: char) -> char {
    if close == '}' {
        '{'
    } else {
        '['
    }
}
