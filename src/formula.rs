//! Column formulas such as `gastado / aprobado * 100`, parsed once and
//! evaluated per row with evalexpr. Every variable is a column id; all values
//! are floats so that `/` never truncates. evalexpr stays inside this module.

use evalexpr::{ContextWithMutableVariables, DefaultNumericTypes, HashMapContext, Node, Value};

/// A parsed formula and the column ids it reads. Stored (in the build
/// cache) as its source, parsed again when read.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Formula {
    source: String,
    node: Node<DefaultNumericTypes>,
    variables: Vec<String>,
}

impl TryFrom<String> for Formula {
    type Error = String;
    fn try_from(source: String) -> Result<Self, String> {
        Formula::parse(&source)
    }
}

impl From<Formula> for String {
    fn from(f: Formula) -> String {
        f.source
    }
}

impl Formula {
    /// Parses `source`; the error is the parser's own description.
    pub fn parse(source: &str) -> Result<Self, String> {
        let node = evalexpr::build_operator_tree::<DefaultNumericTypes>(source).map_err(|e| e.to_string())?;
        if node.iter_function_identifiers().next().is_some() {
            return Err("functions are not allowed, only + - * / and parentheses".into());
        }
        let mut variables: Vec<String> = node.iter_variable_identifiers().map(str::to_string).collect();
        variables.sort();
        variables.dedup();
        Ok(Formula { source: source.to_string(), node, variables })
    }

    /// The column ids the formula reads, sorted.
    pub fn variables(&self) -> &[String] {
        &self.variables
    }

    /// The formula as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluates with `value(id)` for each variable; None when a value is
    /// missing or the result is not a finite number (e.g. division by zero).
    pub fn eval(&self, value: impl Fn(&str) -> Option<f64>) -> Option<f64> {
        let mut ctx = HashMapContext::<DefaultNumericTypes>::new();
        for name in &self.variables {
            ctx.set_value(name.clone(), Value::Float(value(name)?)).ok()?;
        }
        let result = self.node.eval_number_with_context(&ctx).ok()?;
        result.is_finite().then_some(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluates_with_float_division() {
        let f = Formula::parse("gastado / aprobado * 100").expect("parse");
        assert_eq!(f.variables(), ["aprobado", "gastado"]);
        let v = f.eval(|n| Some(if n == "gastado" { 1.0 } else { 3.0 })).expect("eval");
        assert!((v - 33.333).abs() < 0.01);
    }

    #[test]
    fn division_by_zero_and_missing_values_give_none() {
        let f = Formula::parse("a / b").expect("parse");
        assert_eq!(f.eval(|n| Some(if n == "a" { 1.0 } else { 0.0 })), None);
        assert_eq!(f.eval(|_| None), None);
    }

    #[test]
    fn syntax_errors_and_functions_are_rejected() {
        assert!(Formula::parse("a + (b").is_err());
        assert!(Formula::parse("max(a, b)").is_err());
    }
}
