/**
 * What can be wrong with a C source before it runs, as message codes with the names of their
 * parameters (spread into MESSAGE_PARAMS in ../messages.ts). The window says them from its
 * catalogs (renderer/src/i18n/c-problems-*.ts) after the problem's line and column. A
 * parameter is C as written (a name, a keyword, a header, a token), never a sentence.
 * No Node or DOM import.
 */
export const C_PROBLEM_PARAMS = {
  // The source as a whole.
  'c.syntax': ['near'], // tree-sitter could not parse it (an ERROR node); near: its first text
  'c.missing': ['what'], // a token the parser had to assume (a MISSING node): ';', ')', '}'
  'c.tooLong': ['max'], // more characters than a program may have
  'c.tooDeep': ['max'], // statements or expressions nested deeper than the lab follows
  'c.tooMany': ['max'], // the checker stopped after this many problems
  'c.noMain': [],
  'c.mainSignature': [], // main is not int main(void), int main() or int main(int argc, char *argv[])
  // The preprocessor.
  'c.preprocessor': ['directive'], // #if, #pragma, #undef, …
  'c.directivePlace': ['directive'], // a directive inside a function
  'c.ifdefBody': ['directive'], // #ifdef/#ifndef around something else than #define
  'c.unknownHeader': ['header'], // <netdb.h>, "mine.h"
  'c.functionMacro': ['name'], // #define MAX(a, b) …
  'c.defineValue': ['name'], // #define NAME with a value that is not a constant
  // Constructs outside the subset; the parameter is their C spelling.
  'c.unsupportedStatement': ['construct'], // goto, asm
  'c.unsupportedExpression': ['construct'], // _Generic, offsetof, nullptr, L"…"
  'c.unsupportedType': ['type'], // float, double, union u, enum e, struct point, void *
  'c.unsupportedKeyword': ['keyword'], // typedef, extern, volatile, register, inline, __attribute__
  'c.label': ['name'],
  'c.structDefinition': ['name'], // struct point { … } (and its bit-fields)
  'c.functionPointer': [], // a pointer to a function, a call through one, a function as a value
  'c.functionInFunction': ['name'], // a function defined or declared inside another
  'c.variadic': ['name'], // a function of one's own with ...
  'c.krDefinition': ['name'], // int f(a, b) int a; int b; { … }
  'c.array2d': ['name'],
  'c.pointerToPointer': ['name'], // int **p (main's char **argv is accepted)
  'c.vla': ['name'], // an array whose size is not a constant
  'c.arraySize': ['name'], // int a[]; without an initializer
  'c.globalInit': ['name'], // int fd = socket(…); outside a function
  'c.caseValue': [], // case x: with x not a constant
  'c.caseOutside': ['keyword'], // case/default outside a switch's own braces
  'c.caseDeclaration': [], // case 1: int x; (C11 needs braces)
  'c.breakOutside': [],
  'c.continueOutside': [],
  'c.comma': [], // the comma operator outside a for's parentheses
  'c.compoundLiteral': [], // (struct sockaddr_in){ 0 }
  'c.statementExpression': [], // ({ … })
  'c.floatingPoint': ['text'], // 1.5, 1e3
  'c.number': ['text'], // 0b101, 10q: not an integer literal of C11
  'c.escape': ['text'], // '\q'
  'c.typedefCast': ['type', 'instead'], // (socklen_t)-1: the grammar reads (socklen_t) as a value
  // Names.
  'c.notAvailable': ['name'], // fork(), malloc(): C has it, the lab does not
  'c.constantNotAvailable': ['name'], // SOCK_DGRAM, MSG_PEEK
  'c.unknownFunction': ['name'], // neither the program's nor the library's
  'c.unknownName': ['name'], // an identifier nothing declares
  'c.unknownField': ['name'], // a field no library struct has
  'c.needsHeader': ['name', 'header'], // strlen without <string.h>
  'c.needsFeature': ['name', 'macro'], // POLLRDHUP without #define _GNU_SOURCE before the includes
  'c.declareBefore': ['name'], // a function called above its definition and any prototype
  'c.redefinesLibrary': ['name'], // a function of one's own named like the library's
  'c.redefined': ['name'], // the same name declared twice in one scope, a function defined twice
  // Calls.
  'c.argCount': ['name', 'want', 'got'],
  'c.argCountRange': ['name', 'min', 'max', 'got'],
  'c.argCountMin': ['name', 'min', 'got'],
  'c.formatArgs': ['name', 'want', 'got'], // the format asks for want values, got are given
  'c.formatConversion': ['name', 'conv'], // %f, %p, %n, …
} as const satisfies Record<`c.${string}`, readonly string[]>;

/** A problem code of a C source. */
export type CProblemCode = keyof typeof C_PROBLEM_PARAMS;
export const C_PROBLEM_CODES = Object.keys(C_PROBLEM_PARAMS) as CProblemCode[];
