// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// @grafana/ui's Combobox sizes its menu with a canvas 2D context, which jsdom lacks (the
// scaffold stubs getContext to return nothing). Text width does not matter to these tests.
HTMLCanvasElement.prototype.getContext = () => ({ measureText: (text) => ({ width: String(text).length * 7 }) });
