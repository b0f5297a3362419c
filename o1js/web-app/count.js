// Objects of the kimchi module's classes: wasm-bindgen registers every object of its classes with
// a FinalizationRegistry, and so do kimchi-handles' handle objects; plain data registers nothing.
// Imported before o1js, so that every registration is counted.
export const counter = { registered: 0 };
const register = FinalizationRegistry.prototype.register;
FinalizationRegistry.prototype.register = function (...args) {
  counter.registered++;
  return register.apply(this, args);
};
