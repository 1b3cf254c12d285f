/**
 * What is wrong with a C source, in English: one entry per code of app/contract/c/problems.ts
 * (the compiler checks that none is missing), `{name}` for its parameters. The window puts the
 * problem's line and column before it.
 */
import type { CProblemCode } from '@contract/c/problems';

export const cProblemsEn: Readonly<Record<CProblemCode, string>> = {
  'c.syntax': 'this is not valid C near "{near}"',
  'c.missing': '"{what}" is missing here',
  'c.tooLong': 'the program is longer than {max} characters',
  'c.tooDeep': 'this is nested more than {max} levels deep',
  'c.tooMany': 'more than {max} problems: fix these first',
  'c.noMain': 'the program has no main function',
  'c.mainSignature': 'main must be int main(void), int main() or int main(int argc, char *argv[])',
  'c.preprocessor': '{directive} is not supported here',
  'c.directivePlace': '{directive} belongs at the top level of the file, not inside a function',
  'c.ifdefBody': 'between {directive} and #endif only #define lines are supported',
  'c.unknownHeader': '#include {header} is not available in the lab',
  'c.functionMacro':
    '#define {name}(…) is a function-like macro: only constants can be defined here; write a function instead',
  'c.defineValue':
    '#define {name} must be a constant (a number, a character, a string or an expression of constants)',
  'c.unsupportedStatement': '{construct} is not supported here',
  'c.unsupportedExpression': '{construct} is not supported here',
  'c.unsupportedType': 'the type {type} is not supported here',
  'c.unsupportedKeyword': '{keyword} is not supported here',
  'c.label': 'labels ({name}:) are not supported here',
  'c.structDefinition':
    "defining your own {name} is not supported here: use the library's structs (struct sockaddr_in, struct pollfd, …)",
  'c.functionPointer': 'pointers to functions are not supported here: call the function by its name',
  'c.functionInFunction': '{name} is declared inside another function: functions belong at the top level',
  'c.variadic': '{name} takes "...": functions with a variable number of arguments are not supported here',
  'c.krDefinition': '{name} is an old-style (K&R) definition: write the parameter types in the parentheses',
  'c.array2d': '{name} is an array of arrays: only one-dimensional arrays are supported here',
  'c.pointerToPointer': '{name} is a pointer to a pointer: only one level of pointer is supported here',
  'c.vla': 'the size of {name} must be a constant (a number or a #define)',
  'c.arraySize': 'the array {name} needs a size or an initializer',
  'c.globalInit': 'the global {name} cannot start with the value of a call: assign it in main',
  'c.caseValue': 'a case value must be a constant',
  'c.caseOutside': '{keyword} must be directly inside the braces of a switch',
  'c.caseDeclaration':
    "a declaration right after a case label needs braces: case 1: {'{'} int x = 0; … {'}'}",
  'c.breakOutside': 'break is not inside a loop or a switch',
  'c.continueOutside': 'continue is not inside a loop',
  'c.comma': "the comma operator is only supported in a for loop's parentheses",
  'c.compoundLiteral': "compound literals like (struct sockaddr_in){'{'} 0 {'}'} are not supported here",
  'c.statementExpression': "statement expressions ({'{'} … {'}'}) are not supported here",
  'c.floatingPoint': '{text} is a floating-point number: the lab supports integers only',
  'c.number': '{text} is not an integer constant of C',
  'c.escape': '{text} is not an escape sequence of C',
  'c.typedefCast':
    "the lab's C parser reads ({type}) here as a value, not as a cast: cast with ({instead}) instead",
  'c.notAvailable': '{name}() is not available in the lab',
  'c.constantNotAvailable': '{name} is not available in the lab',
  'c.unknownFunction': '{name}() is neither defined in the program nor a library function of the lab',
  'c.unknownName': '{name} is not declared',
  'c.unknownField': 'no struct of the lab has a field {name}',
  'c.needsHeader': '{name} is declared in a header the program does not include: add #include <{header}>',
  'c.needsFeature': '{name} needs #define {macro} before the first #include',
  'c.declareBefore': '{name}() is called before it is declared: define it above, or add a prototype',
  'c.redefinesLibrary': '{name} is the name of a library function: give your function another name',
  'c.redefined': '{name} is declared twice',
  'c.argCount': 'wrong number of arguments to {name}(): {want} expected, {got} given',
  'c.argCountRange': 'wrong number of arguments to {name}(): {min} to {max} expected, {got} given',
  'c.argCountMin': 'too few arguments to {name}(): at least {min} expected, {got} given',
  'c.formatArgs': '{name}(): the format asks for {want} values, {got} given',
  'c.formatConversion': '{name}(): the conversion {conv} is not supported in the lab',
};
