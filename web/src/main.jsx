// main.jsx: the entry point: the stylesheet and the shell.
import { render } from 'preact';
import { App } from './app.jsx';
import './style.css';

render(<App />, document.getElementById('app'));
