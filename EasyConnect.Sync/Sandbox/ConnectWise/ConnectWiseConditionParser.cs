using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EasyConnect.Sync.Sandbox.ConnectWise;

/// <summary>A value a condition compares: string, decimal, <see cref="DateTimeOffset"/>, bool or null.</summary>
internal delegate object? ConnectWiseFieldReader(string path);

/// <summary>A parsed ConnectWise <c>conditions</c> (or <c>orderBy</c>) expression.</summary>
internal sealed class ConnectWiseConditionException(string message) : Exception(message);

/// <summary>
/// Parses the subset of ConnectWise's condition language the sandbox serves: comparisons (=, !=, &lt;, &lt;=, &gt;, &gt;=,
/// like, not like, contains, not contains, in) on fields and nested fields (board/id), joined by and/or with parentheses. Strings are
/// quoted (double quotes, or single as ConnectWise's own links do) with \" inside, dates bracketed, and like takes * as its wildcard.
/// </summary>
internal static class ConnectWiseConditionParser
{
    public static Func<ConnectWiseFieldReader, bool> Parse(string conditions)
    {
        var parser = new Parser(Tokenize(conditions));
        var result = parser.Expression();
        if (!parser.AtEnd)
        {
            throw new ConnectWiseConditionException($"Unexpected \"{parser.Peek.Text}\" in conditions.");
        }

        return result;
    }

    /// <summary>Parses <c>orderBy</c>: "field [asc|desc], …".</summary>
    public static IReadOnlyList<(string Field, bool Descending)> ParseOrderBy(string orderBy)
    {
        var list = new List<(string, bool)>();
        foreach (var part in orderBy.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length is < 1 or > 2 || !IsField(words[0]))
            {
                throw new ConnectWiseConditionException($"orderBy \"{part}\" is not a field and a direction.");
            }

            var descending = words.Length == 2 && words[1].Equals("desc", StringComparison.OrdinalIgnoreCase);
            if (words.Length == 2 && !descending && !words[1].Equals("asc", StringComparison.OrdinalIgnoreCase))
            {
                throw new ConnectWiseConditionException($"orderBy direction \"{words[1]}\" is neither asc nor desc.");
            }

            list.Add((words[0], descending));
        }

        return list;
    }

    /// <summary>Orders two field values as ConnectWise's database would: nulls first, strings case-insensitively.</summary>
    public static int CompareValues(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (decimal x, decimal y) => x.CompareTo(y),
        (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
        (DateTimeOffset x, string y) when TryDate(y, out var d) => x.CompareTo(d),
        (string x, DateTimeOffset y) when TryDate(x, out var d) => d.CompareTo(y),
        (bool x, bool y) => x.CompareTo(y),
        _ => string.Compare(Convert.ToString(a, CultureInfo.InvariantCulture), Convert.ToString(b, CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase),
    };

    private static bool IsField(string s) => s.Length > 0 && (char.IsLetter(s[0]) || s[0] == '_') && s.All(c => char.IsLetterOrDigit(c) || c is '_' or '/' or '.');

    private static bool TryDate(string s, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    private enum Kind { Word, Operator, String, Date, Number, Open, Close, Comma, End }

    private sealed record Token(Kind Kind, string Text);

    private static List<Token> Tokenize(string s)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '"' or '\'')
            {
                // Double quotes are documented; ConnectWise's own _info links use single quotes, and they work too.
                var quote = c;
                var sb = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= s.Length)
                    {
                        throw new ConnectWiseConditionException("A string in conditions is not closed.");
                    }

                    if (s[i] == '\\' && i + 1 < s.Length)
                    {
                        sb.Append(s[i + 1]);
                        i += 2;
                    }
                    else if (s[i] == quote)
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        sb.Append(s[i++]);
                    }
                }

                tokens.Add(new(Kind.String, sb.ToString()));
            }
            else if (c == '[')
            {
                var end = s.IndexOf(']', i);
                if (end < 0)
                {
                    throw new ConnectWiseConditionException("A date in conditions is not closed with ].");
                }

                tokens.Add(new(Kind.Date, s[(i + 1)..end]));
                i = end + 1;
            }
            else if (c is '(' or ')' or ',')
            {
                tokens.Add(new(c == '(' ? Kind.Open : c == ')' ? Kind.Close : Kind.Comma, c.ToString()));
                i++;
            }
            else if (c is '=' or '!' or '<' or '>')
            {
                var two = i + 1 < s.Length && s[i + 1] == '=';
                var op = two ? s.Substring(i, 2) : c.ToString();
                if (op == "!")
                {
                    throw new ConnectWiseConditionException("\"!\" must be followed by \"=\".");
                }

                tokens.Add(new(Kind.Operator, op));
                i += op.Length;
            }
            else if (char.IsDigit(c) || (c == '-' && i + 1 < s.Length && char.IsDigit(s[i + 1])))
            {
                var start = i++;
                while (i < s.Length && (char.IsDigit(s[i]) || s[i] == '.'))
                {
                    i++;
                }

                tokens.Add(new(Kind.Number, s[start..i]));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] is '_' or '/' or '.'))
                {
                    i++;
                }

                tokens.Add(new(Kind.Word, s[start..i]));
            }
            else
            {
                throw new ConnectWiseConditionException($"Unexpected character '{c}' in conditions.");
            }
        }

        tokens.Add(new(Kind.End, ""));
        return tokens;
    }

    private sealed class Parser(List<Token> tokens)
    {
        private int _at;

        public Token Peek => tokens[_at];

        public bool AtEnd => Peek.Kind == Kind.End;

        public Func<ConnectWiseFieldReader, bool> Expression()
        {
            var left = Term();
            while (IsWord("or"))
            {
                _at++;
                var l = left;
                var r = Term();
                left = row => l(row) || r(row);
            }

            return left;
        }

        private Func<ConnectWiseFieldReader, bool> Term()
        {
            var left = Factor();
            while (IsWord("and"))
            {
                _at++;
                var l = left;
                var r = Factor();
                left = row => l(row) && r(row);
            }

            return left;
        }

        private Func<ConnectWiseFieldReader, bool> Factor()
        {
            if (Peek.Kind == Kind.Open)
            {
                _at++;
                var inner = Expression();
                Expect(Kind.Close);
                return inner;
            }

            if (IsWord("not"))
            {
                _at++;
                var inner = Factor();
                return row => !inner(row);
            }

            var field = Expect(Kind.Word).Text;
            string op;
            if (Peek.Kind == Kind.Operator)
            {
                op = tokens[_at++].Text;
            }
            else if (IsWord("not") && tokens[_at + 1].Kind == Kind.Word && tokens[_at + 1].Text.ToLowerInvariant() is "like" or "contains")
            {
                // The Developer Guide's own example: Summary Not Contains "Low Priority".
                op = "not " + tokens[_at + 1].Text.ToLowerInvariant();
                _at += 2;
            }
            else if (IsWord("like") || IsWord("contains") || IsWord("in"))
            {
                op = tokens[_at++].Text.ToLowerInvariant();
            }
            else
            {
                throw new ConnectWiseConditionException($"Expected an operator after \"{field}\".");
            }

            if (op == "in")
            {
                Expect(Kind.Open);
                var values = new List<object?> { Literal() };
                while (Peek.Kind == Kind.Comma)
                {
                    _at++;
                    values.Add(Literal());
                }

                Expect(Kind.Close);
                return row => values.Any(v => Compare(row(field), "=", v));
            }

            var literal = Literal();
            return row => Compare(row(field), op, literal);
        }

        private object? Literal()
        {
            var t = tokens[_at++];
            return t.Kind switch
            {
                Kind.String => t.Text,
                Kind.Number => decimal.Parse(t.Text, CultureInfo.InvariantCulture),
                Kind.Date when TryDate(t.Text, out var d) => d,
                Kind.Date => throw new ConnectWiseConditionException($"[{t.Text}] is not a date."),
                Kind.Word when t.Text.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
                Kind.Word when t.Text.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
                Kind.Word when t.Text.Equals("null", StringComparison.OrdinalIgnoreCase) => null,
                _ => throw new ConnectWiseConditionException($"Expected a value, found \"{t.Text}\"."),
            };
        }

        private bool IsWord(string word) => Peek.Kind == Kind.Word && Peek.Text.Equals(word, StringComparison.OrdinalIgnoreCase);

        private Token Expect(Kind kind)
        {
            var t = Peek;
            if (t.Kind != kind)
            {
                throw new ConnectWiseConditionException($"Expected {kind} in conditions, found \"{t.Text}\".");
            }

            _at++;
            return t;
        }
    }

    private static bool Compare(object? field, string op, object? literal)
    {
        if (literal is null)
        {
            return op switch { "=" => field is null, "!=" => field is not null, _ => false };
        }

        if (field is null)
        {
            return op is "!=" or "not like" or "not contains";
        }

        switch (op)
        {
            case "like":
                return Like(Convert.ToString(field, CultureInfo.InvariantCulture)!, Convert.ToString(literal, CultureInfo.InvariantCulture)!);
            case "not like":
                return !Like(Convert.ToString(field, CultureInfo.InvariantCulture)!, Convert.ToString(literal, CultureInfo.InvariantCulture)!);
            case "contains":
                return Convert.ToString(field, CultureInfo.InvariantCulture)!.Contains(Convert.ToString(literal, CultureInfo.InvariantCulture)!, StringComparison.OrdinalIgnoreCase);
            case "not contains":
                return !Convert.ToString(field, CultureInfo.InvariantCulture)!.Contains(Convert.ToString(literal, CultureInfo.InvariantCulture)!, StringComparison.OrdinalIgnoreCase);
        }

        var c = literal switch
        {
            DateTimeOffset d when field is string s => TryDate(s, out var f) ? f.CompareTo(d) : (int?)null,
            decimal n when field is string s => decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var f) ? f.CompareTo(n) : null,
            bool b when field is bool f => f.CompareTo(b),
            bool => null,
            _ => CompareValues(field, literal),
        };
        if (c is not { } cmp)
        {
            return op == "!=";
        }

        return op switch
        {
            "=" => cmp == 0,
            "!=" => cmp != 0,
            "<" => cmp < 0,
            "<=" => cmp <= 0,
            ">" => cmp > 0,
            ">=" => cmp >= 0,
            _ => throw new ConnectWiseConditionException($"Unknown operator \"{op}\"."),
        };
    }

    // ConnectWise's like takes * as its wildcard (SQL's % is accepted too); matching ignores case like its database.
    private static bool Like(string value, string pattern) =>
        Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("%", ".*", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
