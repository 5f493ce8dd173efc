export { Button, FormActions, type ButtonProps } from './button';
export { CopyButton } from './copy-button';
export { Dialog } from './dialog';
export { EmptyState } from './empty-state';
export { Field, SelectField, TextField } from './field';
export { Badge, Card, Notice, PageHeader } from './layout';
export { Table, Td, Th, Tr } from './table';
