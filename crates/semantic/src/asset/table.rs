//! An embedding table kept in the precision the asset stores it in, its rows decoded as they
//! are read: the word-embedding table is the largest tensor of the model, and a sentence reads
//! only a few of its rows.

use super::{f32_from, Encoding, TensorView};
use half::f16;

/// The rows of an embedding table, stored as the asset stores them.
#[derive(Clone, Debug)]
pub(crate) struct Table {
    columns: usize,
    storage: Storage,
}

#[derive(Clone, Debug)]
enum Storage {
    F32(Vec<f32>),
    F16(Vec<f16>),
    Int8 { values: Vec<i8>, scales: Vec<f32> },
}

impl Table {
    /// Copies a checked tensor of the asset.
    pub(crate) fn from_view(view: &TensorView<'_>) -> Self {
        let (values, scales) = view.raw();
        let storage = match view.encoding() {
            Encoding::F32 => Storage::F32(values.chunks_exact(4).map(f32_from).collect()),
            Encoding::F16 => {
                Storage::F16(values.chunks_exact(2).map(|bytes| f16::from_le_bytes([bytes[0], bytes[1]])).collect())
            }
            Encoding::Int8 => Storage::Int8 {
                values: values.iter().map(|&byte| byte as i8).collect(),
                scales: scales.chunks_exact(4).map(f32_from).collect(),
            },
        };
        Self { columns: view.columns(), storage }
    }

    /// The number of rows.
    #[cfg(test)]
    pub(crate) fn rows(&self) -> usize {
        let values = match &self.storage {
            Storage::F32(values) => values.len(),
            Storage::F16(values) => values.len(),
            Storage::Int8 { values, .. } => values.len(),
        };
        values.checked_div(self.columns).unwrap_or(0)
    }

    /// Adds a row to `out`, which has one value for each column. The caller keeps `row` below
    /// [`Table::rows`].
    pub(crate) fn add_row(&self, row: usize, out: &mut [f32]) {
        let range = row * self.columns..(row + 1) * self.columns;
        match &self.storage {
            Storage::F32(values) => out.iter_mut().zip(&values[range]).for_each(|(out, value)| *out += value),
            Storage::F16(values) => out.iter_mut().zip(&values[range]).for_each(|(out, value)| *out += value.to_f32()),
            Storage::Int8 { values, scales } => {
                let scale = scales[row];
                out.iter_mut().zip(&values[range]).for_each(|(out, &value)| *out += f32::from(value) * scale);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_rows_in_every_encoding() {
        let f32_bytes: Vec<u8> = [1.0f32, -2.0, 0.5, 4.0].iter().flat_map(|v| v.to_le_bytes()).collect();
        let f16_bytes: Vec<u8> =
            [1.0f32, -2.0, 0.5, 4.0].iter().flat_map(|v| f16::from_f32(*v).to_le_bytes()).collect();
        let int8_bytes: Vec<u8> = [64i8, -127, 16, 127].iter().map(|&v| v as u8).collect();
        let scale_bytes: Vec<u8> = [2.0f32 / 127.0, 4.0 / 127.0].iter().flat_map(|v| v.to_le_bytes()).collect();
        let view = |encoding, values, scales| TensorView { shape: vec![2, 2], encoding, values, scales };
        for view in [
            view(Encoding::F32, &f32_bytes[..], &[][..]),
            view(Encoding::F16, &f16_bytes[..], &[][..]),
            view(Encoding::Int8, &int8_bytes[..], &scale_bytes[..]),
        ] {
            let table = Table::from_view(&view);
            assert_eq!(table.rows(), 2);
            let mut out = [1.0, 1.0];
            table.add_row(1, &mut out);
            let expected = [1.5, 5.0];
            assert!(out.iter().zip(expected).all(|(a, b)| (a - b).abs() < 0.02), "{:?}: {out:?}", view.encoding());
        }
    }
}
