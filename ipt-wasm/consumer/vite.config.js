// `vite build`: page/ into dist/vite/, with relative asset URLs so any static server works.
export default { root: 'page', base: './', logLevel: 'warn', build: { outDir: '../dist/vite', emptyOutDir: true } };
